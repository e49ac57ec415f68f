//! Parts of an expression worth evaluating once per evaluation, marked when it is compiled.
//!
//! Two kinds, both common in the definitions' invariants:
//! - a part that reads nothing that changes during the evaluation (the record, literals),
//!   inside a lambda: dom-3 builds `%resource.descendants().reference | ...` for every
//!   contained resource;
//! - a part written several times over the focus: sdf-9 says
//!   `children().element.where(path.contains('.').not())` three times.
//!
//! Such a part is wrapped in [`Node::Memo`] with a slot number; the evaluator keeps its value
//! in that slot for the rest of the evaluation (parts written alike share a slot). The
//! analysis follows the evaluator's rules (eval.rs), as reads.rs does.

use std::collections::HashMap;

use super::syntax::{ArgUse, Func, Node, Op};

/// What a part's value depends on.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
enum Dep {
    /// Nothing that changes during an evaluation: literals, `%resource`, `%context`.
    Fixed,
    /// The focus of the evaluation.
    Focus,
    /// What a lambda is at (`$this`, `$index`), or a variable.
    Varying,
}

/// What `node`'s value depends on, evaluated on an input depending on `input`, with `$this`
/// depending on `this`.
fn dep(node: &Node, input: Dep, this: Dep) -> Dep {
    match node {
        Node::Empty | Node::Literal(_) => Dep::Fixed,
        Node::This | Node::Index | Node::Total => this,
        Node::Constant(c) => match c.as_str() {
            "resource" | "rootResource" | "context" | "ucum" | "sct" | "loinc" => Dep::Fixed,
            c if c.starts_with("vs-") || c.starts_with("ext-") => Dep::Fixed,
            // A variable `defineVariable` sets.
            _ => Dep::Varying,
        },
        Node::Name(_) => input,
        Node::Path(l, r) => {
            let left = dep(l, input, this);
            dep(r, left, this)
        }
        Node::Call(f, args) => {
            if *f == Func::DefineVariable {
                return Dep::Varying;
            }
            let mut out = input;
            for (i, a) in args.iter().enumerate() {
                let d = match f.arg_use(args.len(), i) {
                    ArgUse::Unevaluated => continue,
                    // Each item of the input: as fixed as the input.
                    ArgUse::PerItem => dep(a, input, input),
                    ArgUse::OnInput if *f == Func::Iif => dep(a, input, input.max(this)),
                    ArgUse::OnInput => dep(a, input, this),
                    ArgUse::OnThis => dep(a, this, this),
                };
                out = out.max(d);
            }
            out
        }
        Node::Binary(_, l, r) | Node::Indexer(l, r) => dep(l, input, this).max(dep(r, input, this)),
        Node::Negate(a) | Node::Is(a, _) | Node::As(a, _) | Node::Descending(a) => {
            dep(a, input, this)
        }
        Node::Memo(a, _) => dep(a, input, this),
    }
}

/// Whether evaluating `node` costs more than keeping and copying its value: it walks many
/// elements, filters, or joins collections.
fn costly(node: &Node) -> bool {
    match node {
        Node::Call(f, args) => {
            use Func as F;
            matches!(
                f,
                F::Children
                    | F::Descendants
                    | F::Repeat
                    | F::Resolve
                    | F::Where
                    | F::Select
                    | F::Distinct
                    | F::IsDistinct
            ) || (*f == F::Exists && !args.is_empty())
                || args.iter().any(costly)
        }
        Node::Binary(Op::Union, _, _) => true,
        Node::Path(a, b) | Node::Indexer(a, b) | Node::Binary(_, a, b) => costly(a) || costly(b),
        Node::Negate(a) | Node::Is(a, _) | Node::As(a, _) | Node::Descending(a) => costly(a),
        _ => false,
    }
}

/// A part as the marking sees it: its text (parts written alike share a slot).
fn key(node: &Node) -> String {
    format!("{node:?}")
}

/// Where a part is evaluated: `repeated` inside a lambda (once per item).
#[derive(Clone, Copy)]
struct At {
    input: Dep,
    this: Dep,
    repeated: bool,
}

/// Marks the parts of `root` worth keeping; gives the number of slots.
pub fn mark(root: &mut Node) -> usize {
    // Parts over the focus, outside lambdas, by text: kept when written more than once.
    let mut seen: HashMap<String, usize> = HashMap::new();
    let top = At {
        input: Dep::Focus,
        this: Dep::Focus,
        repeated: false,
    };
    count(root, top, &mut seen);
    let mut slots: HashMap<String, usize> = HashMap::new();
    wrap(root, top, &seen, &mut slots);
    slots.len()
}

fn keep(node: &Node, at: At, seen: &HashMap<String, usize>) -> bool {
    // A sort key's direction is read from its node.
    if matches!(node, Node::Descending(_)) || !costly(node) {
        return false;
    }
    match dep(node, at.input, at.this) {
        Dep::Fixed => at.repeated || seen.get(&key(node)).is_some_and(|n| *n > 1),
        Dep::Focus => !at.repeated && seen.get(&key(node)).is_some_and(|n| *n > 1),
        Dep::Varying => false,
    }
}

// `&mut` only to share the way down with `wrap`: counting changes nothing.
fn count(node: &mut Node, at: At, seen: &mut HashMap<String, usize>) {
    if !at.repeated && costly(node) && dep(node, at.input, at.this) <= Dep::Focus {
        *seen.entry(key(node)).or_default() += 1;
    }
    each_part_mut(node, at, &mut |part, at| count(part, at, seen));
}

fn wrap(
    node: &mut Node,
    at: At,
    seen: &HashMap<String, usize>,
    slots: &mut HashMap<String, usize>,
) {
    if keep(node, at, seen) {
        let next = slots.len();
        let slot = *slots.entry(key(node)).or_insert(next);
        let inner = std::mem::replace(node, Node::Empty);
        *node = Node::Memo(Box::new(inner), slot);
        return;
    }
    each_part_mut(node, at, &mut |part, at| wrap(part, at, seen, slots));
}

/// How many times `node` calls `f`, as written.
pub fn calls(node: &Node, f: Func) -> usize {
    match node {
        Node::Call(g, args) => {
            usize::from(*g == f) + args.iter().map(|a| calls(a, f)).sum::<usize>()
        }
        Node::Path(a, b) | Node::Binary(_, a, b) | Node::Indexer(a, b) => calls(a, f) + calls(b, f),
        Node::Negate(a)
        | Node::Is(a, _)
        | Node::As(a, _)
        | Node::Descending(a)
        | Node::Memo(a, _) => calls(a, f),
        _ => 0,
    }
}

/// Where each part of `node` is evaluated, as the evaluator does it; None for a part it does
/// not evaluate (a type name).
fn parts(node: &Node, at: At) -> Vec<Option<At>> {
    let same = Some(at);
    match node {
        // A path's right side is evaluated on what its left side gives, which its own text
        // does not say (`a.where(x)`, `b.where(x)`): only the whole path may be kept.
        Node::Path(..) => vec![
            same,
            Some(At {
                input: Dep::Varying,
                ..at
            }),
        ],
        Node::Call(f, args) => (0..args.len())
            .map(|i| match f.arg_use(args.len(), i) {
                ArgUse::Unevaluated => None,
                ArgUse::PerItem => Some(At {
                    input: Dep::Varying,
                    this: Dep::Varying,
                    repeated: true,
                }),
                ArgUse::OnInput if *f == Func::Iif => Some(At {
                    this: at.input.max(at.this),
                    ..at
                }),
                ArgUse::OnInput => same,
                ArgUse::OnThis => Some(At {
                    input: at.this,
                    ..at
                }),
            })
            .collect(),
        Node::Binary(..) | Node::Indexer(..) => vec![same, same],
        Node::Negate(_) | Node::Is(..) | Node::As(..) | Node::Descending(_) | Node::Memo(..) => {
            vec![same]
        }
        _ => Vec::new(),
    }
}

fn each_part_mut(node: &mut Node, at: At, f: &mut impl FnMut(&mut Node, At)) {
    let places = parts(node, at);
    let children: Vec<&mut Node> = match node {
        Node::Path(a, b) | Node::Binary(_, a, b) | Node::Indexer(a, b) => vec![a, b],
        Node::Call(_, args) => args.iter_mut().collect(),
        Node::Negate(a)
        | Node::Is(a, _)
        | Node::As(a, _)
        | Node::Descending(a)
        | Node::Memo(a, _) => {
            vec![a]
        }
        _ => Vec::new(),
    };
    for (child, place) in children.into_iter().zip(places) {
        if let Some(place) = place {
            f(child, place);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn marked(text: &str) -> (String, usize) {
        let mut node = super::super::parse(text).unwrap_or_else(|e| panic!("{text}: {e}"));
        let n = mark(&mut node);
        (format!("{node:?}"), n)
    }

    #[test]
    fn a_fixed_part_inside_a_lambda_is_kept() {
        let (tree, slots) =
            marked("contained.where(('#'+id in %resource.descendants().reference).not())");
        assert_eq!(slots, 1);
        assert!(
            tree.contains("Memo(Path(Path(Constant(\"resource\")"),
            "{tree}"
        );
    }

    #[test]
    fn a_part_written_twice_over_the_focus_shares_a_slot() {
        let (tree, slots) = marked(
            "children().element.where(path.contains('.').not()).label.empty() and \
             children().element.where(path.contains('.').not()).code.empty()",
        );
        assert_eq!(slots, 1, "{tree}");
        assert_eq!(tree.matches("Memo(").count(), 2, "{tree}");
    }

    #[test]
    fn calls_are_counted_as_written() {
        let node = super::super::parse(
            "descendants().exists() and contained.where(%resource.descendants().count() > 1)",
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(calls(&node, Func::Descendants), 2);
        assert_eq!(calls(&node, Func::Where), 1);
        assert_eq!(calls(&node, Func::Children), 0);
    }

    #[test]
    fn parts_that_change_or_cost_little_are_not_kept() {
        for text in [
            // Once over the focus: nothing to save.
            "children().element.where(path.contains('.').not()).label.empty()",
            // Reads the lambda's item.
            "contained.where(descendants().where(reference = '#').exists())",
            // Alike, but over different inputs.
            "a.where(x.exists()).empty() and b.where(x.exists()).empty()",
            // aggregate's start value is evaluated on its input (`a`), not on the focus.
            "a.aggregate($total, children().where(y).exists()).empty() and \
             children().where(y).exists()",
            // Cheap.
            "min.empty() or max.empty() or (max = '*') or (min.exists() and max.exists())",
        ] {
            assert_eq!(marked(text).1, 0, "{text}");
        }
    }
}
