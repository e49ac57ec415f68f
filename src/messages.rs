//! What issues say, in the user's language. Every message is a template with named
//! parameters (`{code} is a category, not a billable code.`) in a catalogue per locale:
//! messages/en.json and messages/es.json, keyed `<rule-code>` or `<rule-code>.<variant>`
//! (`reason.<name>` for the reasons a value is malformed, which several rules quote).
//!
//! Code builds a `Text` (a key and its arguments) with `text!`; the validator renders it in
//! its locale. Issue codes never change with the locale. A test reads every `text!` in the
//! sources and fails when a key is missing from a catalogue or the parameters differ.

use std::collections::HashMap;
use std::fmt;
use std::sync::OnceLock;

/// A language the catalogues cover.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Locale {
    #[default]
    En,
    Es,
}

impl Locale {
    pub const ALL: [Locale; 2] = [Locale::En, Locale::Es];

    /// `"en"`, `"es"`.
    pub fn tag(self) -> &'static str {
        match self {
            Locale::En => "en",
            Locale::Es => "es",
        }
    }

    /// The locale of a tag; a region (`es-MX`, `en_US`) is accepted and ignored.
    pub fn from_tag(tag: &str) -> Result<Locale, String> {
        let language = tag.split(['-', '_']).next().unwrap_or_default();
        Locale::ALL
            .into_iter()
            .find(|l| l.tag().eq_ignore_ascii_case(language))
            .ok_or_else(|| {
                format!(
                    "locale: {tag:?} is not supported (use {})",
                    Locale::ALL.map(Locale::tag).join(" or ")
                )
            })
    }

    fn source(self) -> &'static str {
        match self {
            // messages/*.json, as build.rs writes them for this build.
            Locale::En => include_str!(concat!(env!("OUT_DIR"), "/messages-en.json")),
            Locale::Es => include_str!(concat!(env!("OUT_DIR"), "/messages-es.json")),
        }
    }

    /// The locale's catalogue, parsed on first use.
    pub fn catalogue(self) -> &'static Catalogue {
        static EN: OnceLock<Catalogue> = OnceLock::new();
        static ES: OnceLock<Catalogue> = OnceLock::new();
        let cell = match self {
            Locale::En => &EN,
            Locale::Es => &ES,
        };
        cell.get_or_init(|| Catalogue::parse(self))
    }
}

/// A message before it is put into words: its catalogue key and named arguments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Text {
    pub key: &'static str,
    pub args: Vec<(&'static str, String)>,
}

/// A `Text` from a key literal and named arguments, each formatted with `Display`:
/// `code = shown, count` (`count` alone means `count = count`).
macro_rules! text {
    ($key:literal $(, $name:ident $(= $value:expr)?)* $(,)?) => {
        $crate::messages::Text {
            key: $key,
            args: vec![$((stringify!($name), text!(@arg $name $(= $value)?))),*],
        }
    };
    (@arg $name:ident = $value:expr) => {
        ($value).to_string()
    };
    (@arg $name:ident) => {
        $name.to_string()
    };
}
pub(crate) use text;

/// English, for the few places that have no validator at hand (input errors, logs).
impl fmt::Display for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&Locale::En.catalogue().render(self))
    }
}

/// One locale's templates.
#[derive(Debug)]
pub struct Catalogue {
    locale: Locale,
    templates: HashMap<String, String>,
}

impl Catalogue {
    /// The catalogues are part of the build and checked by the tests; an unreadable one
    /// leaves every message as its key rather than failing validation.
    fn parse(locale: Locale) -> Catalogue {
        let templates =
            serde_json::from_str::<HashMap<String, String>>(locale.source()).unwrap_or_default();
        Catalogue { locale, templates }
    }

    pub fn locale(&self) -> Locale {
        self.locale
    }

    pub fn template(&self, key: &str) -> Option<&str> {
        self.templates.get(key).map(String::as_str)
    }

    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.templates.keys().map(String::as_str)
    }

    /// The text in this locale. `{name}` takes the argument `name`; `{{` and `}}` are
    /// braces. A key or argument the catalogue lacks stays visible rather than vanishing.
    pub fn render(&self, text: &Text) -> String {
        let Some(template) = self.template(text.key) else {
            return text.key.to_string();
        };
        let mut out = String::with_capacity(template.len() + 32);
        let mut rest = template;
        while let Some(i) = rest.find(['{', '}']) {
            out.push_str(&rest[..i]);
            let tail = &rest[i..];
            if tail.starts_with("{{") || tail.starts_with("}}") {
                out.push_str(&tail[..1]);
                rest = &tail[2..];
                continue;
            }
            match (tail.starts_with('{'), tail.find('}')) {
                (true, Some(end)) => {
                    let name = &tail[1..end];
                    match text.args.iter().find(|(n, _)| *n == name) {
                        Some((_, value)) => out.push_str(value),
                        None => out.push_str(&tail[..=end]),
                    }
                    rest = &tail[end + 1..];
                }
                _ => {
                    out.push_str(&tail[..1]);
                    rest = &tail[1..];
                }
            }
        }
        out.push_str(rest);
        out
    }
}

/// The parameter names of a template, in order of first use.
pub fn parameters(template: &str) -> Vec<&str> {
    let mut names = Vec::new();
    let mut rest = template;
    while let Some(i) = rest.find(['{', '}']) {
        let tail = &rest[i..];
        if tail.starts_with("{{") || tail.starts_with("}}") {
            rest = &tail[2..];
            continue;
        }
        match (tail.starts_with('{'), tail.find('}')) {
            (true, Some(end)) => {
                let name = &tail[1..end];
                if !names.contains(&name) {
                    names.push(name);
                }
                rest = &tail[end + 1..];
            }
            _ => rest = &tail[1..],
        }
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn renders_arguments_and_braces() {
        let c = Catalogue {
            locale: Locale::En,
            templates: HashMap::from([(
                "k".to_string(),
                "{a} and {{b}} then {a}, {c}".to_string(),
            )]),
        };
        let t = Text {
            key: "k",
            args: vec![("a", "x".to_string())],
        };
        assert_eq!(c.render(&t), "x and {b} then x, {c}");
        assert_eq!(parameters("{a} and {{b}} then {a}, {c}"), vec!["a", "c"]);
        let missing = Text {
            key: "nope",
            args: vec![],
        };
        assert_eq!(c.render(&missing), "nope");
    }

    #[test]
    fn locale_tags() {
        assert_eq!(Locale::from_tag("es-MX"), Ok(Locale::Es));
        assert_eq!(Locale::from_tag("EN"), Ok(Locale::En));
        let err = Locale::from_tag("fr").unwrap_err();
        assert!(err.contains("locale") && err.contains("\"fr\""), "{err}");
    }

    /// Every `text!(...)` in the sources: its key and argument names.
    fn uses() -> Vec<(String, String, BTreeSet<String>)> {
        let mut found = Vec::new();
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut dirs = vec![root];
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(&dir).expect("src is readable") {
                let path = entry.expect("a directory entry").path();
                if path.is_dir() {
                    dirs.push(path);
                } else if path.extension().is_some_and(|e| e == "rs")
                    && !path.ends_with("messages.rs")
                {
                    let source = std::fs::read_to_string(&path).expect("a source file");
                    let file = path.display().to_string();
                    for call in calls(&source) {
                        found.push((file.clone(), call.0, call.1));
                    }
                }
            }
        }
        found
    }

    /// The `text!` calls of one file (not the macro's own definition).
    fn calls(source: &str) -> Vec<(String, BTreeSet<String>)> {
        let mut out = Vec::new();
        let mut rest = source;
        while let Some(i) = rest.find("text!(") {
            rest = &rest[i + "text!(".len()..];
            let args = top_level_args(rest);
            let Some(key) = args
                .first()
                .and_then(|k| k.trim().strip_prefix('"'))
                .and_then(|k| k.strip_suffix('"'))
            else {
                continue;
            };
            let names = args[1..]
                .iter()
                .map(|a| a.split('=').next().unwrap_or_default().trim().to_string())
                .filter(|n| !n.is_empty())
                .collect();
            out.push((key.to_string(), names));
        }
        out
    }

    /// The arguments of a call whose opening parenthesis was just read, split at top-level
    /// commas (nested brackets and string literals kept whole).
    fn top_level_args(source: &str) -> Vec<String> {
        let mut args = Vec::new();
        let mut current = String::new();
        let mut depth = 0;
        let mut chars = source.chars();
        let mut in_string = false;
        while let Some(c) = chars.next() {
            if in_string {
                current.push(c);
                match c {
                    '\\' => current.extend(chars.next()),
                    '"' => in_string = false,
                    _ => {}
                }
                continue;
            }
            match c {
                '"' => in_string = true,
                '(' | '[' | '{' => depth += 1,
                ')' | ']' | '}' if depth == 0 => break,
                ')' | ']' | '}' => depth -= 1,
                ',' if depth == 0 => {
                    args.push(std::mem::take(&mut current));
                    continue;
                }
                _ => {}
            }
            current.push(c);
        }
        args.push(current);
        args.retain(|a| !a.trim().is_empty());
        args
    }

    #[test]
    fn every_message_has_a_template_in_every_locale() {
        let uses = uses();
        assert!(uses.len() > 50, "only {} text! calls found", uses.len());
        let mut problems = Vec::new();
        for locale in Locale::ALL {
            let catalogue = locale.catalogue();
            assert!(
                catalogue.keys().count() > 50,
                "messages/{}.json does not parse",
                locale.tag()
            );
            for (file, key, names) in &uses {
                match catalogue.template(key) {
                    None => problems.push(format!(
                        "{file}: {key} has no template in messages/{}.json",
                        locale.tag()
                    )),
                    Some(t) => {
                        let params: BTreeSet<String> =
                            parameters(t).into_iter().map(String::from).collect();
                        if &params != names {
                            problems.push(format!(
                                "{file}: {key} is given {names:?} but messages/{}.json's template uses {params:?}",
                                locale.tag()
                            ));
                        }
                    }
                }
            }
            let used: BTreeSet<&str> = uses.iter().map(|u| u.1.as_str()).collect();
            for key in catalogue.keys() {
                if !used.contains(key) {
                    problems.push(format!(
                        "messages/{}.json: {key} is used by no code",
                        locale.tag()
                    ));
                }
            }
        }
        assert!(problems.is_empty(), "{}", problems.join("\n"));
    }

    #[test]
    fn locales_say_different_things() {
        // A catalogue copied from English without translating would pass the key checks.
        let (en, es) = (Locale::En.catalogue(), Locale::Es.catalogue());
        let same: Vec<&str> = en
            .keys()
            .filter(|k| en.template(k) == es.template(k))
            .filter(|k| {
                en.template(k).is_some_and(|t| {
                    t.chars().any(char::is_alphabetic) && t.split_whitespace().count() > 2
                })
            })
            .collect();
        assert!(same.is_empty(), "untranslated in es: {same:?}");
    }
}
