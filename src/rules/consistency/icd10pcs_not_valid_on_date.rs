//! # icd10pcs-not-valid-on-date
//!
//! **What it checks**: an ICD-10-PCS code is valid on the day the procedure was performed (or
//! the caller's `asOf`, else today): not deleted before it, not effective only after it.
//!
//! Only within the code system's lifetime: ICD-10-PCS took effect in the US on 2015-10-01, and a
//! record dated before was coded later or converted. Then a code present since ICD-10-PCS began
//! is in order, and one added later gets a note (information), not an error.
//!
//! **Why it matters**: ICD-10-PCS changes every October 1; a deleted or future code on an
//! inpatient claim is rejected and the stay is not grouped to its DRG.
//!
//! **Example**: fails: X27H385 (deleted 2024-09-30) performed on 2025-01-15; passes: the same
//! code performed on 2024-01-15.
//!
//! **Authority**: CMS Medicare Code Editor v44.0 validity dates (MCE edit 1); HIPAA code set
//! rule, 45 CFR 162.1002.

use super::{icd10pcs, Validity};
use crate::codes::CodeStatus;
use crate::fhir::clock::{fiscal_year, show};
use crate::messages::text;
use crate::report::{Category, Severity};
use crate::rules::RuleMeta;

pub static RULE: RuleMeta = RuleMeta {
    code: "icd10pcs-not-valid-on-date",
    category: Category::Consistency,
    severity: Severity::Error,
    issue_type: "code-invalid",
    title: "An ICD-10-PCS code deleted before, or effective only after, the procedure date",
};

record_rule! {
    reads: crate::rules::Reads::CODINGS_ON_SERVICE_DATE,
    fn check(resource, cx, out) {
        for f in icd10pcs(resource, cx) {
            let (CodeStatus::NotOnDate(windows), Some(code)) = (&f.status, f.code.as_deref())
            else {
                continue;
            };
            let (date, fy) = (show(f.days.0), fiscal_year(f.days.0));
            let validity = Validity::of(windows, f.days.0);
            let Some(within) = validity.within_lifetime(f.days) else {
                continue;
            };
            let text = match validity {
                Validity::NotYet { start } if !within => text!(
                    "icd10pcs-not-valid-on-date.before-system",
                    code,
                    date,
                    start = show(start),
                    start_fy = fiscal_year(start)
                ),
                Validity::NotYet { start } => text!(
                    "icd10pcs-not-valid-on-date.not-yet",
                    code,
                    date,
                    fy,
                    start = show(start),
                    start_fy = fiscal_year(start)
                ),
                Validity::NoLonger { until } => text!(
                    "icd10pcs-not-valid-on-date",
                    code,
                    date,
                    fy,
                    until = show(until),
                    until_fy = fiscal_year(until)
                ),
            };
            let mut issue = RULE.issue(cx.location, &f.coding.pointer, cx.messages, text);
            if !within {
                issue.severity = Severity::Information;
            }
            out.push(issue);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::icd10pcs_unknown::tests::procedure;
    use crate::rules::testing::{assert_clean, assert_one};

    #[test]
    fn fails_on_a_deleted_code() {
        assert_one(
            procedure("X27H385", "2025-01-15"),
            "icd10pcs-not-valid-on-date",
            "/code/coding/0/code",
        );
    }

    #[test]
    fn passes_while_valid() {
        assert_clean(procedure("X27H385", "2024-01-15"));
    }
}
