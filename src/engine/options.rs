//! How a validator is set up: the options a caller gives `Validator::new`, read from Rust or
//! from their JSON form (JavaScript, the command line).

use serde::Deserialize;
use serde_json::Value;

use super::context::{json_type_name, parse_as_of};
use crate::config::RuleOptions;
use crate::fhir::primitives::PartialDate;
use crate::limits::Limits;
use crate::profile::ProfileChoice;

/// The `ig` option: a list whose items are a package's path, .tgz or folder, or a compiled
/// guide's (not in Wasm), a list of resources, or one resource. (JavaScript gives a compiled
/// guide's bytes as a Uint8Array, which src/wasm.rs takes out before this reads the rest.)
fn ig_sources(v: Value) -> Result<Vec<crate::ig::Source>, String> {
    let Value::Array(items) = v else {
        return Err(format!(
            "invalid options: ig: invalid type: {}, expected a list of packages",
            json_type_name(&v)
        ));
    };
    items
        .into_iter()
        .enumerate()
        .map(|(i, item)| match item {
            #[cfg(not(target_arch = "wasm32"))]
            Value::String(path) => Ok(crate::ig::Source::Path(path.into())),
            Value::Array(list) => Ok(crate::ig::Source::Resources(
                list.into_iter().map(crate::json::Value::from).collect(),
            )),
            Value::Object(_) => Ok(crate::ig::Source::Resources(vec![item.into()])),
            other => Err(format!(
                "invalid options: ig[{i}]: {} is not a package: give its resources{}",
                json_type_name(&other),
                if cfg!(target_arch = "wasm32") {
                    " (a package's path needs the command line)"
                } else {
                    " or its path (.tgz or folder)"
                }
            )),
        })
        .collect()
}

/// Validator options. An unknown key or a bad value is refused with an error naming it, so a
/// typo never silently does nothing.
#[derive(Debug, Clone, Default)]
#[cfg_attr(
    feature = "typescript",
    derive(ts_rs::TS),
    ts(optional_fields, rename_all = "camelCase")
)]
#[non_exhaustive]
pub struct Options {
    /// The completeness profile: `"default"` (modelled on US Core; the default), `"none"`
    /// (FHIR R4 alone) or a profile document (schemas/profile.schema.json, docs/profiles.md).
    /// A bad profile is refused with a message saying what is wrong.
    #[cfg_attr(
        feature = "typescript",
        ts(type = "\"default\" | \"none\" | Profile", optional)
    )]
    pub profile: Option<ProfileChoice>,
    /// Requirements added to the profile, in the format of a profile's `resources`:
    /// `{"Patient": {"required": ["birthDate"]}}`.
    #[cfg_attr(feature = "typescript", ts(type = "Profile[\"resources\"]", optional))]
    pub require: Option<Value>,
    /// Rules turned off (by code or family) and severities overridden per code.
    pub rules: Option<RuleOptions>,
    /// The date of service (YYYY-MM-DD) when a call's context gives none: for batch work on
    /// records of one day.
    pub as_of: Option<String>,
    /// The language of issue messages: `"en"` (the default) or `"es"`; a region tag such as
    /// `"es-MX"` picks its language. Issue codes, paths and suggestions are the same in every
    /// locale.
    #[cfg_attr(
        feature = "typescript",
        ts(type = "\"en\" | \"es\" | `en-${string}` | `es-${string}`", optional)
    )]
    pub locale: Option<String>,
    /// How large, deep, long-listed and long-stringed one input may be (docs/limits.md); over
    /// a limit, the input is refused with an error naming it. The limits not given keep their
    /// defaults.
    pub limits: Option<Limits>,
    /// Implementation Guides whose profiles records may claim in `meta.profile`, over the
    /// built-in US Core 6.1.0: each a guide compiled by `ehrlint ig pack` (its file's bytes, a
    /// Uint8Array, in JS; its path on the command line), a package's path, .tgz or folder
    /// (command line and Rust only), its resources as a list, or one resource. Their
    /// StructureDefinitions are compiled when the validator is built; one that does not parse
    /// or compile is refused then. The npm package's default browser build reads compiled
    /// guides only; its Node build and `ehrlint/full` also read a guide's JSON.
    #[cfg_attr(
        feature = "typescript",
        ts(type = "Array<Uint8Array | ArrayBuffer | object | object[]>", optional)
    )]
    pub ig: Option<Vec<crate::ig::Source>>,
}

/// Options deserialized from any serde format are read as `Options::from_json` reads them.
impl<'de> Deserialize<'de> for Options {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Options::from_json(Value::deserialize(d)?).map_err(serde::de::Error::custom)
    }
}

impl Options {
    /// Options from their JSON form (what the JS API and the CLI's --config take). The error
    /// names the bad key: `invalid options: rules.disable: invalid type: string "x", expected
    /// a sequence`. Read key by key rather than through a path-tracking deserializer, which
    /// cost the Wasm some 20 KB; `null` is as good as absent.
    pub fn from_json(value: Value) -> Result<Options, String> {
        fn field<T: serde::de::DeserializeOwned>(path: &str, v: Value) -> Result<T, String> {
            serde_json::from_value(v).map_err(|e| format!("invalid options: {path}: {e}"))
        }
        let map = match value {
            Value::Object(map) => map,
            Value::Null => return Ok(Options::default()),
            other => {
                return Err(format!(
                    "invalid options: options are an object, not {}",
                    json_type_name(&other)
                ))
            }
        };
        let mut options = Options::default();
        for (key, v) in map {
            if v.is_null() {
                continue;
            }
            match key.as_str() {
                "profile" => {
                    options.profile = Some(match v {
                        Value::String(name) => ProfileChoice::BuiltIn(name),
                        doc => ProfileChoice::Custom(doc),
                    })
                }
                "require" => options.require = Some(v),
                "rules" => {
                    let Value::Object(rules) = v else {
                        return Err(format!(
                            "invalid options: rules: invalid type: {}, expected an object",
                            json_type_name(&v)
                        ));
                    };
                    let mut r = RuleOptions::default();
                    for (key, v) in rules {
                        match key.as_str() {
                            "disable" => r.disable = field("rules.disable", v)?,
                            "severity" => r.severity = field("rules.severity", v)?,
                            _ => {
                                return Err(format!(
                                "invalid options: rules: unknown field `{key}`, expected `disable` or `severity`"
                            ))
                            }
                        }
                    }
                    options.rules = Some(r);
                }
                "asOf" => options.as_of = Some(field("asOf", v)?),
                "locale" => options.locale = Some(field("locale", v)?),
                "limits" => {
                    options.limits = Some(
                        Limits::from_json(&v).map_err(|e| format!("invalid options: limits: {e}"))?,
                    )
                }
                "ig" => options.ig = Some(ig_sources(v)?),
                _ => return Err(format!(
                    "invalid options: unknown field `{key}`, expected one of `profile`, `require`, `rules`, `asOf`, `locale`, `limits`, `ig`"
                )),
            }
        }
        Ok(options)
    }

    /// Options with these Implementation Guides.
    pub fn with_ig(ig: Vec<crate::ig::Source>) -> Self {
        Options {
            ig: Some(ig),
            ..Options::default()
        }
    }

    /// Options with this profile.
    pub fn with_profile(profile: ProfileChoice) -> Self {
        Options {
            profile: Some(profile),
            ..Options::default()
        }
    }
}

/// How `Validator::lookup` answers: at most `limit` codes (default `DEFAULT_LIMIT`, never more
/// than `MAX_LIMIT`), valid on `as_of` (default: the validator's `asOf`, else today). One
/// definition for the CLI, the JS API and every other binding.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
#[non_exhaustive]
pub struct LookupOptions {
    pub limit: Option<usize>,
    pub as_of: Option<PartialDate>,
}

impl LookupOptions {
    /// The codes offered when no limit is given: what fits an autocomplete list.
    pub const DEFAULT_LIMIT: usize = 20;
    /// The most codes one lookup returns, whatever was asked: a lookup answers while the
    /// user types, and ICD-10-CM has about 74,000 codes.
    pub const MAX_LIMIT: usize = 1000;

    pub fn new(limit: Option<usize>, as_of: Option<PartialDate>) -> Self {
        LookupOptions { limit, as_of }
    }

    /// The limit applied: the one given (at most `MAX_LIMIT`), else `DEFAULT_LIMIT`.
    pub fn limit(&self) -> usize {
        self.limit
            .map_or(Self::DEFAULT_LIMIT, |l| l.min(Self::MAX_LIMIT))
    }

    /// From the JS form `{limit, asOf}` (null or absent: the defaults). Unknown keys are
    /// refused, as in `Options`.
    pub fn from_json(value: Value) -> Result<Self, String> {
        if value.is_null() {
            return Ok(Self::default());
        }
        let raw: LookupOptionsJson =
            serde_json::from_value(value).map_err(|e| format!("lookup options: {e}"))?;
        let as_of = raw
            .as_of
            .map(|s| parse_as_of(&s).map_err(|e| format!("lookup options: {e}")))
            .transpose()?;
        Ok(Self::new(raw.limit, as_of))
    }
}

// The JSON form of `LookupOptions`, as the JS API takes it. Its doc comment is the package's.
/// Options of `lookup`. An unknown key is refused.
#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[cfg_attr(
    feature = "typescript",
    derive(ts_rs::TS),
    ts(rename = "LookupOptions", optional_fields)
)]
pub(crate) struct LookupOptionsJson {
    /// At most this many results (default 20, at most 1,000).
    limit: Option<usize>,
    /// Only codes valid on this day (YYYY-MM-DD); default the options' `asOf`, else today.
    as_of: Option<String>,
}
