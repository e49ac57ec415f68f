//! Accuracy rules: is a value malformed or implausible (dates out of order, dates in the
//! future, implausible vitals)?

pub mod birth_date_in_future;
pub mod birth_date_too_old;
pub mod deceased_before_birth;
pub mod period_end_before_start;
