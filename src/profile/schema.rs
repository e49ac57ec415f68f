//! The profile schema (schemas/profile.schema.json) as Rust, compiled at build time from its
//! build copy (schemas/build/profile.schema.json, see tools/gen-schemas.mjs) by jsonschema's
//! `validator` macro: the job JSON Schema is made for, checking the validator's own
//! configuration documents. FHIR itself is checked by the structure walk, not a schema.

/// schemas/profile.schema.json as Rust (from its build-time copy).
#[jsonschema::validator(
    path = "schemas/build/profile.schema.json",
    keywords = { "ehrlintPattern" => crate::profile::pattern::factory },
)]
pub(crate) struct ProfileSchema;

#[cfg(test)]
mod tests {
    use serde_json::{json, Map, Value};

    use crate::profile::pattern;

    fn walk<'a>(value: &'a Value, visit: &mut dyn FnMut(&'a Map<String, Value>)) {
        match value {
            Value::Object(map) => {
                visit(map);
                map.values().for_each(|v| walk(v, visit));
            }
            Value::Array(items) => items.iter().for_each(|v| walk(v, visit)),
            _ => {}
        }
    }

    #[test]
    fn the_profile_schema_s_build_copy_is_the_published_one() {
        fn published_form(value: &Value) -> Value {
            match value {
                Value::Object(map) => Value::Object(
                    map.iter()
                        .filter(|(k, _)| *k != "$comment")
                        .map(|(k, v)| {
                            let key = if k == "ehrlintPattern" { "pattern" } else { k };
                            (key.to_string(), published_form(v))
                        })
                        .collect(),
                ),
                Value::Array(items) => Value::Array(items.iter().map(published_form).collect()),
                other => other.clone(),
            }
        }
        let read = |p: &str| -> Value {
            let path = format!("{}/schemas/{p}", env!("CARGO_MANIFEST_DIR"));
            serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
        };
        let build = read("build/profile.schema.json");
        assert!(build.to_string().contains("ehrlintPattern"));
        assert_eq!(published_form(&build), read("profile.schema.json"));
    }

    #[test]
    fn ehrlint_pattern_matches_as_pattern_does() {
        let build: Value =
            serde_json::from_str(include_str!("../../schemas/build/profile.schema.json")).unwrap();
        let mut patterns = Vec::new();
        walk(&build, &mut |map| {
            if let Some(p) = map.get("ehrlintPattern").and_then(Value::as_str) {
                patterns.push(p.to_string());
            }
        });
        assert_eq!(patterns.len(), 5);
        let (x64, x65) = ("x".repeat(64), "x".repeat(65));
        let samples = [
            "",
            "a",
            "A",
            "en",
            "EN",
            "eng",
            "e1",
            "Patient",
            "patient",
            "P",
            "PatientX",
            "Pat1ent",
            "name",
            "name.family",
            "name.",
            ".name",
            "name..given",
            "value[x]",
            "value[x].code",
            "value[y]",
            "valueQuantity.code",
            "aB9",
            "a-b",
            "a_b",
            "a.b_c-d",
            "-a",
            "1abc",
            "clinic.v2",
            &x64,
            &x65,
            "é",
            "naïve",
            "a\n",
            "a b",
            "Ünïcode",
            "a[x][x]",
            "name[x]given",
        ];
        for pattern in &patterns {
            let runtime = jsonschema::validator_for(&json!({ "pattern": pattern })).unwrap();
            let keyword = pattern::factory(
                &Map::new(),
                &json!(pattern),
                jsonschema::paths::Location::new(),
            )
            .unwrap();
            // And strings drawn from the patterns' alphabet and a little beyond.
            let alphabet: Vec<char> = "aAzZenx019._-[].[x]Ü -".chars().collect();
            let mut seed = 7_u64;
            let drawn: Vec<String> = (0..2000)
                .map(|_| {
                    let mut next = |n: u64| {
                        seed = seed
                            .wrapping_mul(6364136223846793005)
                            .wrapping_add(1442695040888963407);
                        (seed >> 33) % n
                    };
                    let len = next(12) as usize;
                    (0..len)
                        .map(|_| alphabet[next(alphabet.len() as u64) as usize])
                        .collect()
                })
                .collect();
            for sample in samples
                .iter()
                .copied()
                .chain(drawn.iter().map(String::as_str))
            {
                let value = json!(sample);
                assert_eq!(
                    keyword.is_valid(&value),
                    runtime.is_valid(&value),
                    "{pattern} {sample:?}"
                );
                if let Err(e) = keyword.validate(&value) {
                    let want = runtime.iter_errors(&value).next().unwrap().to_string();
                    assert_eq!(e.to_string(), want);
                }
            }
            assert!(keyword.is_valid(&json!(7)), "a constraint on strings only");
        }
    }
}
