//! Check digits and formats of code systems whose content ehrlint may not ship (LOINC, SNOMED
//! CT: licences) or does not carry (NPI, NDC, CVX): the algorithms are public facts.

/// Luhn sum of `digits` where the rightmost digit is doubled (the payload, before its check
/// digit is appended).
fn luhn_sum(digits: impl DoubleEndedIterator<Item = u32>) -> u32 {
    digits
        .rev()
        .enumerate()
        .map(|(i, d)| {
            if i % 2 == 0 {
                let x = d * 2;
                if x > 9 {
                    x - 9
                } else {
                    x
                }
            } else {
                d
            }
        })
        .sum()
}

fn digits(s: &str) -> Option<Vec<u32>> {
    s.chars().map(|c| c.to_digit(10)).collect()
}

/// LOINC: `NNNNN-C`, C the mod-10 (Luhn) check digit of NNNNN. Returns the expected check
/// digit when the form is right but the digit is wrong; Err when the form is wrong.
pub fn loinc(code: &str) -> Result<(), LoincError> {
    let (num, check) = code.split_once('-').ok_or(LoincError::Form)?;
    if num.is_empty() || num.len() > 7 || check.len() != 1 {
        return Err(LoincError::Form);
    }
    let d = digits(num).ok_or(LoincError::Form)?;
    let c = check
        .chars()
        .next()
        .and_then(|c| c.to_digit(10))
        .ok_or(LoincError::Form)?;
    let want = (10 - luhn_sum(d.into_iter()) % 10) % 10;
    if c == want {
        Ok(())
    } else {
        Err(LoincError::CheckDigit(want))
    }
}

#[derive(Debug, PartialEq)]
pub enum LoincError {
    Form,
    CheckDigit(u32),
}

/// NPI: 10 digits, the last a Luhn check digit over "80840" + the first nine.
pub fn npi(value: &str) -> Result<(), NpiError> {
    let d = digits(value)
        .filter(|d| d.len() == 10)
        .ok_or(NpiError::Form)?;
    let (&check, payload) = d.split_last().ok_or(NpiError::Form)?;
    // The 80840 prefix adds 24 to the Luhn sum of the first nine digits.
    let sum = 24 + luhn_sum(payload.iter().copied());
    let want = (10 - sum % 10) % 10;
    if check == want {
        Ok(())
    } else {
        Err(NpiError::CheckDigit(want))
    }
}

#[derive(Debug, PartialEq)]
pub enum NpiError {
    Form,
    CheckDigit(u32),
}

const VERHOEFF_D: [[u8; 10]; 10] = [
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
    [1, 2, 3, 4, 0, 6, 7, 8, 9, 5],
    [2, 3, 4, 0, 1, 7, 8, 9, 5, 6],
    [3, 4, 0, 1, 2, 8, 9, 5, 6, 7],
    [4, 0, 1, 2, 3, 9, 5, 6, 7, 8],
    [5, 9, 8, 7, 6, 0, 4, 3, 2, 1],
    [6, 5, 9, 8, 7, 1, 0, 4, 3, 2],
    [7, 6, 5, 9, 8, 2, 1, 0, 4, 3],
    [8, 7, 6, 5, 9, 3, 2, 1, 0, 4],
    [9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
];
const VERHOEFF_P: [[u8; 10]; 8] = [
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
    [1, 5, 7, 6, 2, 8, 3, 0, 9, 4],
    [5, 8, 0, 3, 7, 9, 6, 1, 4, 2],
    [8, 9, 1, 6, 0, 4, 3, 5, 2, 7],
    [9, 4, 5, 3, 1, 2, 6, 8, 7, 0],
    [4, 2, 8, 6, 5, 7, 3, 9, 0, 1],
    [2, 7, 9, 3, 8, 0, 6, 4, 1, 5],
    [7, 0, 4, 6, 9, 1, 3, 2, 5, 8],
];

/// Does a digit string (check digit last) pass Verhoeff's check?
fn verhoeff_ok(d: &[u32]) -> bool {
    let check = d.iter().rev().enumerate().try_fold(0u8, |c, (i, &x)| {
        let p = VERHOEFF_P.get(i % 8)?.get(x as usize)?;
        VERHOEFF_D
            .get(usize::from(c))?
            .get(usize::from(*p))
            .copied()
    });
    check == Some(0)
}

#[derive(Debug, PartialEq)]
pub enum SctidError {
    /// Not 6 to 18 digits, or a leading zero.
    Form,
    CheckDigit,
    /// The partition identifier (the two digits before the check digit) says it is not a
    /// concept id.
    NotAConcept(Partition),
}

/// What a SNOMED CT id that is not a concept id is, by its partition identifier.
#[derive(Debug, PartialEq)]
pub enum Partition {
    /// 01 or 11.
    Description,
    /// 02 or 12.
    Relationship,
    /// Any other partition identifier: its two digits.
    Other(String),
}

/// SNOMED CT concept id: 6 to 18 digits, no leading zero, Verhoeff check digit last, and a
/// partition identifier (the two digits before it) of a concept: 00 (core) or 10 (extension).
pub fn sctid_concept(code: &str) -> Result<(), SctidError> {
    let d = digits(code)
        .filter(|d| (6..=18).contains(&d.len()) && d.first() != Some(&0))
        .ok_or(SctidError::Form)?;
    if !verhoeff_ok(&d) {
        return Err(SctidError::CheckDigit);
    }
    let [.., p1, p2, _check] = d.as_slice() else {
        return Err(SctidError::Form);
    };
    match (p1, p2) {
        (0 | 1, 0) => Ok(()),
        (0 | 1, 1) => Err(SctidError::NotAConcept(Partition::Description)),
        (0 | 1, 2) => Err(SctidError::NotAConcept(Partition::Relationship)),
        _ => {
            let other = format!("{p1}{p2}");
            Err(SctidError::NotAConcept(Partition::Other(other)))
        }
    }
}

/// NDC forms: 10 digits as 4-4-2, 5-3-2 or 5-4-1, or 11 digits as 5-4-2 (hyphenated or not).
#[derive(Debug, PartialEq)]
pub enum Ndc {
    /// The 11-digit 5-4-2 form (the HIPAA billing form).
    Normalized(String),
    /// Ten digits without hyphens: which segment to pad is unknown.
    Ambiguous,
    /// A product NDC: labeler and product without a package (4-4, 5-3 or 5-4), as the FDA's
    /// directory lists products and as the NDC code system allows; normalised to 5-4 digits.
    Product(String),
    Invalid,
}

pub fn ndc(code: &str) -> Ndc {
    let parts: Vec<&str> = code.split('-').collect();
    if !parts
        .iter()
        .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
    {
        return Ndc::Invalid;
    }
    match parts.as_slice() {
        [all] if all.len() == 11 => Ndc::Normalized(code.to_string()),
        [all] if all.len() == 10 => Ndc::Ambiguous,
        [labeler, product, package]
            if matches!(
                (labeler.len(), product.len(), package.len()),
                (4, 4, 2) | (5, 3, 2) | (5, 4, 1) | (5, 4, 2)
            ) =>
        {
            Ndc::Normalized(format!("{labeler:0>5}{product:0>4}{package:0>2}"))
        }
        [labeler, product]
            if matches!((labeler.len(), product.len()), (4, 4) | (5, 3) | (5, 4)) =>
        {
            Ndc::Product(format!("{labeler:0>5}{product:0>4}"))
        }
        _ => Ndc::Invalid,
    }
}

/// CVX: a number of one to three digits.
pub fn cvx(code: &str) -> bool {
    (1..=3).contains(&code.len()) && code.bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ndc_product_codes() {
        assert_eq!(ndc("50090-0001"), Ndc::Product("500900001".into()));
        assert_eq!(ndc("0777-3105"), Ndc::Product("007773105".into()));
        assert_eq!(ndc("2501-813-16"), Ndc::Invalid);
        assert_eq!(ndc("123-4567"), Ndc::Invalid);
    }

    #[test]
    fn loinc_check_digits() {
        for ok in [
            "8867-4", "2339-0", "718-7", "85354-9", "29463-7", "59408-5", "2708-6", "9843-4",
        ] {
            assert_eq!(loinc(ok), Ok(()), "{ok}");
        }
        assert_eq!(loinc("8867-5"), Err(LoincError::CheckDigit(4)));
        assert_eq!(loinc("8867"), Err(LoincError::Form));
        assert_eq!(loinc("88a7-4"), Err(LoincError::Form));
    }

    #[test]
    fn npi_check_digits() {
        assert_eq!(npi("1234567893"), Ok(()));
        assert_eq!(npi("1234567890"), Err(NpiError::CheckDigit(3)));
        assert_eq!(npi("123456789"), Err(NpiError::Form));
    }

    #[test]
    fn sctid_concepts() {
        for ok in [
            "44054006",
            "22298006",
            "73211009",
            "38341003",
            "195967001",
            "271649006",
        ] {
            assert_eq!(sctid_concept(ok), Ok(()), "{ok}");
        }
        assert_eq!(sctid_concept("44054007"), Err(SctidError::CheckDigit));
        assert_eq!(sctid_concept("12345"), Err(SctidError::Form));
        assert_eq!(sctid_concept("0440540"), Err(SctidError::Form));
        // A description id (partition 01) and a relationship id (02), with good check digits.
        for (payload, what) in [
            ("12570601", Partition::Description),
            ("12570602", Partition::Relationship),
        ] {
            let d: Vec<u32> = payload.chars().map(|c| c.to_digit(10).unwrap()).collect();
            let check = (0..10)
                .find(|c| verhoeff_ok(&[d.clone(), vec![*c]].concat()))
                .unwrap();
            let id = format!("{payload}{check}");
            assert_eq!(
                sctid_concept(&id),
                Err(SctidError::NotAConcept(what)),
                "{id}"
            );
        }
    }

    #[test]
    fn ndc_forms() {
        assert_eq!(ndc("0777-3105-02"), Ndc::Normalized("00777310502".into()));
        assert_eq!(ndc("12345-678-90"), Ndc::Normalized("12345067890".into()));
        assert_eq!(ndc("12345-6789-0"), Ndc::Normalized("12345678900".into()));
        assert_eq!(ndc("00777310502"), Ndc::Normalized("00777310502".into()));
        assert_eq!(ndc("0777310502"), Ndc::Ambiguous);
        assert_eq!(ndc("777-3105-02"), Ndc::Invalid);
        assert!(cvx("08") && cvx("141") && !cvx("1411") && !cvx("a1"));
    }
}
