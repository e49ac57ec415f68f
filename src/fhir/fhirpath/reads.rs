//! What an expression reads of its focus: the child names whose absence decides its result.
//!
//! Most invariants look at a few children of their element (dom-2..dom-5 at `contained`, the
//! ElementDefinition invariants at `constraint`, `slicing`, `binding`...), and most records
//! lack them. When an expression reads the focus only through such names, and reads nothing of
//! the record, the Bundle or the clock, its result on a focus that has none of them is its result
//! on an empty element of the same type: worked out once, not at every element.
//!
//! The analysis follows the evaluator's rules (eval.rs): a name navigates the function's input;
//! a lambda argument (`where`, `select`, `all`, `exists`, `repeat`, `sort`) is evaluated per item
//! of the input, with `$this` the item; other arguments are evaluated on `$this`. It is
//! conservative: an expression it cannot follow has no such names (None), and is evaluated.

use super::syntax::{ArgUse, Func, Node, Op};

/// What a sub-expression gives, as far as the focus is concerned.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
enum Kind {
    /// Values reached from the focus by its child names: nothing when the focus lacks them.
    Navigated,
    /// Values that are the same whatever the focus, once it lacks the names (literals, counts,
    /// booleans of the above).
    Other,
    /// The focus itself, or a part of it the analysis does not name.
    Focus,
}

/// The child names of the focus whose absence decides the expression's result; None when its
/// result may depend on anything else (the focus as a whole, the record, the clock).
pub fn focus_names(root: &Node) -> Option<Vec<String>> {
    let mut names = Vec::new();
    scan(root, Kind::Focus, Kind::Focus, &mut names)?;
    names.sort();
    names.dedup();
    Some(names)
}

/// Whether a function given nothing gives nothing, whatever its arguments.
fn keeps_nothing(f: Func) -> bool {
    use Func as F;
    gives_input(f)
        || matches!(
            f,
            F::Select | F::Repeat | F::Children | F::Descendants | F::Extension | F::Resolve
        )
}

/// Functions that give a part of their input (so the focus, on the focus).
fn gives_input(f: Func) -> bool {
    use Func as F;
    matches!(
        f,
        F::Where
            | F::First
            | F::Last
            | F::Tail
            | F::Skip
            | F::Take
            | F::Single
            | F::Distinct
            | F::Trace
            | F::OfType
            | F::As
            | F::Sort
            | F::Intersect
            | F::Exclude
    )
}

/// Functions that read nothing but their input and arguments.
fn pure(f: Func) -> bool {
    use Func as F;
    !matches!(
        f,
        F::Now
            | F::Today
            | F::TimeOfDay
            | F::Resolve
            | F::MemberOf
            | F::ConformsTo
            | F::DefineVariable
            | F::Aggregate
    )
}

/// Functions that may be called on the focus itself: they read its type, that it is one
/// value, or the children their arguments name.
fn reads_focus_by_name(f: Func) -> bool {
    use Func as F;
    matches!(
        f,
        F::Empty
            | F::Exists
            | F::All
            | F::Count
            | F::Not
            | F::Is
            | F::As
            | F::OfType
            | F::Where
            | F::Select
            | F::First
            | F::Last
            | F::Single
            | F::Trace
            | F::Iif
            | F::Extension
    )
}

/// The kind of what `node` gives when evaluated on an input of kind `input`, with `$this` of
/// kind `this`; the focus's names it navigates go into `names`. None: the analysis gives up.
fn scan(node: &Node, input: Kind, this: Kind, names: &mut Vec<String>) -> Option<Kind> {
    match node {
        Node::Empty | Node::Literal(_) | Node::Index | Node::Total => Some(Kind::Other),
        Node::This => Some(this),
        Node::Constant(c) => match c.as_str() {
            "ucum" | "sct" | "loinc" => Some(Kind::Other),
            "context" => Some(Kind::Focus),
            c if c.starts_with("vs-") || c.starts_with("ext-") => Some(Kind::Other),
            // %resource, %rootResource, variables.
            _ => None,
        },
        Node::Name(n) => match input {
            // A name starting upper-case may be the focus's type: the focus itself.
            Kind::Focus if n.starts_with(|c: char| c.is_ascii_uppercase()) => None,
            Kind::Focus => {
                names.push(n.clone());
                Some(Kind::Navigated)
            }
            other => Some(other),
        },
        Node::Path(left, right) => {
            let k = scan(left, input, this, names)?;
            scan(right, k, this, names)
        }
        Node::Call(f, args) => call(*f, args, input, this, names),
        Node::Binary(op, l, r) => {
            let (a, b) = (scan(l, input, this, names)?, scan(r, input, this, names)?);
            let logical = matches!(op, Op::And | Op::Or | Op::Xor | Op::Implies);
            // A value compared, added or joined whole: the focus would be read whole.
            if !logical && (a == Kind::Focus || b == Kind::Focus) {
                return None;
            }
            Some(match op {
                Op::Union => a.max(b),
                _ => Kind::Other,
            })
        }
        Node::Indexer(list, index) => {
            let k = scan(list, input, this, names)?;
            if scan(index, input, this, names)? == Kind::Focus {
                return None;
            }
            Some(k)
        }
        Node::Negate(inner) => match scan(inner, input, this, names)? {
            Kind::Focus => None,
            _ => Some(Kind::Other),
        },
        Node::Is(inner, _) => scan(inner, input, this, names).map(|_| Kind::Other),
        Node::As(inner, _) | Node::Descending(inner) | Node::Memo(inner, _) => {
            scan(inner, input, this, names)
        }
    }
}

fn call(f: Func, args: &[Node], input: Kind, this: Kind, names: &mut Vec<String>) -> Option<Kind> {
    // A function that reads the record or the clock is refused, unless it is given nothing
    // and gives nothing then, reading nothing (resolve() with no reference).
    if !(pure(f) || input == Kind::Navigated && keeps_nothing(f)) {
        return None;
    }
    if input == Kind::Focus && !reads_focus_by_name(f) {
        return None;
    }
    let mut out = if f == Func::Extension && input == Kind::Focus {
        names.push("extension".into());
        Kind::Navigated
    } else if input == Kind::Navigated && keeps_nothing(f) {
        Kind::Navigated
    } else if gives_input(f) {
        input
    } else {
        Kind::Other
    };
    // `iif` evaluates its arguments on its input, with `$this` the input's value (or the
    // caller's when it has none).
    let this_on_input = match input {
        Kind::Navigated => this,
        k => k.max(this),
    };
    if f == Func::Iif {
        let mut branches = Kind::Navigated;
        for (i, a) in args.iter().enumerate() {
            let k = scan(a, input, this_on_input, names)?;
            if i > 0 {
                branches = branches.max(k);
            }
        }
        return Some(branches);
    }
    for (i, a) in args.iter().enumerate() {
        let k = match f.arg_use(args.len(), i) {
            ArgUse::Unevaluated => continue,
            ArgUse::PerItem => {
                // Evaluated per item of the input: never, when the input is nothing.
                if input == Kind::Navigated {
                    continue;
                }
                let k = scan(a, input, input, names)?;
                if f == Func::Select {
                    out = k;
                }
                continue;
            }
            ArgUse::OnInput => scan(a, input, this, names)?,
            ArgUse::OnThis => scan(a, this, this, names)?,
        };
        if matches!(f, Func::Union | Func::Combine) {
            out = out.max(k);
        } else if k == Kind::Focus {
            return None;
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(text: &str) -> Option<Vec<String>> {
        let node = super::super::parse(text).unwrap_or_else(|e| panic!("{text}: {e}"));
        focus_names(&node)
    }

    fn list(v: &[&str]) -> Option<Vec<String>> {
        Some(v.iter().map(|s| s.to_string()).collect())
    }

    #[test]
    fn names_read_from_the_focus_are_found() {
        assert_eq!(
            names("contained.meta.versionId.empty()"),
            list(&["contained"])
        );
        assert_eq!(
            names("start.hasValue().not() or end.hasValue().not() or (start <= end)"),
            list(&["end", "start"])
        );
        // A lambda over a child is never evaluated when the child is absent, whatever it reads.
        assert_eq!(
            names("contained.where(('#'+id in %resource.descendants().reference).not()).empty()"),
            list(&["contained"])
        );
        // Names inside a lambda over the focus itself are the focus's.
        assert_eq!(names("where(code.exists()).exists()"), list(&["code"]));
        // A plain argument is evaluated on $this: the focus at the top.
        assert_eq!(
            names("code.coding.exists() or text.contains(system)"),
            list(&["code", "system", "text"])
        );
        assert_eq!(names("extension('http://x').empty()"), list(&["extension"]));
        assert_eq!(names("'a' = 'b'"), list(&[]));
        // resolve() of nothing is nothing: no Bundle is read when there is no reference.
        assert_eq!(
            names("reference.resolve().exists() or code.exists()"),
            list(&["code", "reference"])
        );
    }

    #[test]
    fn what_reads_more_than_named_children_is_not_analysed() {
        for text in [
            "%resource.id.exists()",
            "hasValue()",
            "children().count() > 1",
            "descendants().exists()",
            "$this = %context",
            "$this.children().exists()",
            "date <= today()",
            "Patient.name.exists()",
            "iif($this.children().exists(), true, false)",
            "select($this) = {}",
            "contained.where($this = %resource).exists()",
        ] {
            // The lambda over `contained` is safe; the rest is not.
            let expected = text
                .starts_with("contained")
                .then(|| vec!["contained".into()]);
            assert_eq!(names(text), expected, "{text}");
        }
    }
}
