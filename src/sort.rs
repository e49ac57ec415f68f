//! Sorting, with one copy of the sort code in the browser build.
//!
//! The standard library's sorts are generic: every element type and comparison gets a copy of
//! several kilobytes of code (quicksort, drift sort, small-sort networks). Twenty such copies
//! were 150 KB of the Wasm before optimisation. In the browser build these functions sort a list
//! of positions with one comparison behind a reference, and then move the values into that
//! order, so the sort code exists once. On the command line they call the standard sorts
//! directly. Every sort here is stable.

use std::cmp::Ordering;

/// Sorts `v` by `compare`, keeping equal values in their order.
#[inline]
pub fn by<T>(v: &mut [T], compare: impl Fn(&T, &T) -> Ordering) {
    #[cfg(target_arch = "wasm32")]
    {
        let order = positions(v.len(), &|a, b| match (v.get(a), v.get(b)) {
            (Some(x), Some(y)) => compare(x, y),
            _ => Ordering::Equal,
        });
        arrange(v, order);
    }
    #[cfg(not(target_arch = "wasm32"))]
    v.sort_by(compare);
}

/// Sorts `v` by the key `key` gives, keeping values with equal keys in their order.
#[inline]
pub fn by_key<T, K: Ord>(v: &mut [T], key: impl Fn(&T) -> K) {
    by(v, |a, b| key(a).cmp(&key(b)));
}

/// Sorts `v` in its natural order.
#[inline]
pub fn natural<T: Ord>(v: &mut [T]) {
    by(v, T::cmp);
}

/// Sorts `v` by a key that is costly to compute, computing it once per value.
#[inline]
pub fn by_cached_key<T, K: Ord>(v: &mut [T], key: impl Fn(&T) -> K) {
    #[cfg(target_arch = "wasm32")]
    {
        let keys: Vec<K> = v.iter().map(key).collect();
        let order = positions(v.len(), &|a, b| keys.get(a).cmp(&keys.get(b)));
        arrange(v, order);
    }
    #[cfg(not(target_arch = "wasm32"))]
    v.sort_by_cached_key(key);
}

/// The positions `0..n` in the order `compare` gives (stable): the one sort the browser
/// build carries.
#[cfg(any(target_arch = "wasm32", test))]
#[inline(never)]
fn positions(n: usize, compare: &dyn Fn(usize, usize) -> Ordering) -> Vec<usize> {
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| compare(a, b));
    order
}

/// Moves the values of `v` so that the one at `order[i]` ends at `i`, following each cycle
/// of the permutation once.
#[cfg(any(target_arch = "wasm32", test))]
fn arrange<T>(v: &mut [T], order: Vec<usize>) {
    let mut done = vec![false; order.len()];
    for start in 0..order.len() {
        let mut at = start;
        loop {
            // `order` is a permutation of the positions of `v`: every lookup is in range.
            match done.get_mut(at) {
                Some(d) if !*d => *d = true,
                _ => break,
            }
            let Some(&next) = order.get(at) else { break };
            if next == start {
                break;
            }
            v.swap(at, next);
            at = next;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The browser build's way, run here: positions, then arranged.
    fn sorted_as_in_the_browser(mut v: Vec<(u8, usize)>) -> Vec<(u8, usize)> {
        let order = positions(v.len(), &|a, b| v[a].0.cmp(&v[b].0));
        arrange(&mut v, order);
        v
    }

    #[test]
    fn the_browser_sort_is_the_standard_stable_sort() {
        // A fixed pseudo-random sequence with many equal keys, tagged with where each began.
        let mut seed = 7u32;
        for len in [0usize, 1, 2, 3, 10, 100, 1000] {
            let v: Vec<(u8, usize)> = (0..len)
                .map(|i| {
                    seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
                    ((seed >> 16) as u8 % 7, i)
                })
                .collect();
            let mut expected = v.clone();
            expected.sort_by_key(|x| x.0);
            assert_eq!(sorted_as_in_the_browser(v), expected, "length {len}");
        }
    }

    #[test]
    fn every_helper_sorts() {
        let mut v = vec![3, 1, 2];
        natural(&mut v);
        assert_eq!(v, [1, 2, 3]);
        let mut v = vec!["ccc", "a", "bb", "b"];
        by_key(&mut v, |s| s.len());
        assert_eq!(v, ["a", "b", "bb", "ccc"]);
        by_cached_key(&mut v, |s| std::cmp::Reverse(s.to_string()));
        assert_eq!(v, ["ccc", "bb", "b", "a"]);
        by(&mut v, |a, b| a.cmp(b));
        assert_eq!(v, ["a", "b", "bb", "ccc"]);
    }
}
