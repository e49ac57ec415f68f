//! # icd10cm-not-valid-on-date
//!
//! **What it checks**: an ICD-10-CM code is valid on the date of service: not deleted before
//! it, not effective only after it. The date of service is the resource's own (recordedDate,
//! performed, period start, effective), else the caller's `asOf`, else today.
//!
//! Only within the code system's lifetime: ICD-10-CM took effect in the US on 2015-10-01, and a
//! record dated before was coded later or converted. Then a code present since ICD-10-CM began
//! is in order, and one added later gets a note (information), not an error.
//!
//! **Why it matters**: ICD-10-CM changes every October 1 (and some Aprils): a code deleted in
//! FY2025 is rejected on a 2025 claim, and a FY2027 code cannot be billed for a 2025 visit.
//!
//! **Example**: fails: T81.32XA (deleted after 2024-09-30) recorded on 2025-03-01; passes: the
//! same code recorded on 2024-05-01. (A code that was split into subcodes, like C86.0 in FY2025,
//! is reported as a category by icd10cm-not-billable instead.)
//!
//! **Authority**: CMS Medicare Code Editor v44.0 validity dates (MCE edit 1, "Invalid
//! diagnosis code" for the discharge date); HIPAA code set rule, 45 CFR 162.1002 (the code set
//! valid at the time of service).

use super::{icd10cm, Validity};
use crate::codes::CodeStatus;
use crate::fhir::clock::{fiscal_year, show};
use crate::messages::text;
use crate::report::{Category, Severity};
use crate::rules::RuleMeta;

pub static RULE: RuleMeta = RuleMeta {
    code: "icd10cm-not-valid-on-date",
    category: Category::Consistency,
    severity: Severity::Error,
    issue_type: "code-invalid",
    title: "An ICD-10-CM code deleted before, or effective only after, the date of service",
};

record_rule! {
    reads: crate::rules::Reads::CODINGS_ON_SERVICE_DATE,
    fn check(resource, cx, out) {
        let table = &cx.codes.icd10cm;
        for f in icd10cm(resource, cx) {
            let (CodeStatus::NotOnDate(windows), Some(code)) = (&f.status, f.code.as_deref())
            else {
                continue;
            };
            let shown = table.display(code);
            let (date, fy) = (show(f.days.0), fiscal_year(f.days.0));
            let validity = Validity::of(windows, f.days.0);
            let Some(within) = validity.within_lifetime(f.days) else {
                continue;
            };
            let text = match validity {
                Validity::NotYet { start } if !within => text!(
                    "icd10cm-not-valid-on-date.before-system",
                    code = shown,
                    date,
                    start = show(start),
                    start_fy = fiscal_year(start)
                ),
                Validity::NotYet { start } => text!(
                    "icd10cm-not-valid-on-date.not-yet",
                    code = shown,
                    date,
                    fy,
                    start = show(start),
                    start_fy = fiscal_year(start)
                ),
                Validity::NoLonger { until } => text!(
                    "icd10cm-not-valid-on-date",
                    code = shown,
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
            issue.suggestions = table
                .nearest(code, f.days.0, f.days.1, 5)
                .iter()
                .map(|c| table.display(c))
                .collect();
            out.push(issue);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{assert_clean, assert_one, report};
    use serde_json::json;

    fn recorded(code: &str, date: &str) -> serde_json::Value {
        json!({"resourceType": "Condition", "subject": {"reference": "Patient/1"}, "recordedDate": date,
               "code": {"coding": [{"system": "http://hl7.org/fhir/sid/icd-10-cm", "code": code}]}})
    }

    #[test]
    fn fails_on_a_deleted_code() {
        assert_one(
            recorded("T81.32XA", "2025-03-01"),
            "icd10cm-not-valid-on-date",
            "/code/coding/0/code",
        );
        let r = report(recorded("T81.32XA", "2025-03-01"));
        assert!(
            r.issues[0]
                .message
                .contains("valid until 2024-09-30 (FY2024)"),
            "{}",
            r.issues[0].message
        );
    }

    #[test]
    fn fails_on_a_code_not_yet_effective() {
        let r = report(recorded("C78.31", "2025-03-01"));
        assert_eq!(r.issues[0].code, "icd10cm-not-valid-on-date");
        assert!(
            r.issues[0].message.contains("2026-10-01 (FY2027)"),
            "{}",
            r.issues[0].message
        );
    }

    #[test]
    fn a_code_split_into_subcodes_is_a_category_not_a_deletion() {
        let r = report(recorded("C86.0", "2025-03-01"));
        assert_eq!(r.issues.len(), 1);
        assert_eq!(r.issues[0].code, "icd10cm-not-billable");
    }

    #[test]
    fn before_icd10_cm_began_a_code_is_not_judged_on_the_date() {
        // E11.9 exists since ICD-10-CM began: a 2009 record coded with it is in order.
        assert_clean(recorded("E11.9", "2009-06-01"));
        // C78.31 came in FY2027: on a 2009 record, a note, not an error.
        let r = report(recorded("C78.31", "2009-06-01"));
        assert_eq!(r.issues.len(), 1, "{:#?}", r.issues);
        assert_eq!(r.issues[0].code, "icd10cm-not-valid-on-date");
        assert_eq!(r.issues[0].severity, crate::Severity::Information);
        assert!(r.valid);
        assert!(
            r.issues[0].message.contains("2015-10-01"),
            "{}",
            r.issues[0].message
        );
    }

    #[test]
    fn applies_wherever_icd10cm_codes_are() {
        let claim = json!({"resourceType": "Claim", "status": "active", "use": "claim",
            "type": {"text": "institutional"}, "patient": {"reference": "Patient/1"},
            "created": "2025-03-01", "provider": {"reference": "Organization/1"},
            "priority": {"text": "normal"}, "insurance": [{"sequence": 1, "focal": true,
                "coverage": {"reference": "Coverage/1"}}],
            "diagnosis": [{"sequence": 1, "diagnosisCodeableConcept": {"coding": [
                {"system": "http://hl7.org/fhir/sid/icd-10-cm", "code": "T81.32XA"}]}}]});
        assert_one(
            claim,
            "icd10cm-not-valid-on-date",
            "/diagnosis/0/diagnosisCodeableConcept/coding/0/code",
        );
    }

    #[test]
    fn passes_on_days_the_code_is_valid() {
        assert_clean(recorded("T81.32XA", "2024-05-01"));
        assert_clean(recorded("C78.31", "2026-11-01"));
    }
}
