//! The ehrlint command-line tool: the same engine as the browser, for batch files.
//! Thin on purpose: it reads inputs, calls the library and prints reports.

#[cfg(target_arch = "wasm32")]
fn main() {}

// Faster than the system allocator on the CLI's many small allocations (Cargo.toml says how much).
#[cfg(not(target_arch = "wasm32"))]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    cli::main()
}

#[cfg(not(target_arch = "wasm32"))]
mod cli {
    use std::io::{self, BufReader, BufWriter, Read, Write};
    use std::path::Path;
    use std::process::ExitCode;

    use clap::{Parser, Subcommand, ValueEnum};
    use ehrlint::input::{self, Checked, NdjsonStop};
    use ehrlint::{
        parse_as_of, Context, IgSource, InputError, Limits, LookupOptions, Options, ProfileChoice,
        Severity, Validator,
    };
    use serde_json::{json, Value};

    #[derive(Parser)]
    #[command(
        name = "ehrlint",
        version,
        about = "Checks FHIR R4 records: structure, completeness, accuracy and code consistency."
    )]
    struct Cli {
        #[command(subcommand)]
        command: Command,
    }

    #[derive(Subcommand)]
    enum Command {
        /// Find codes: ICD-10-CM by code prefix or by words of the description, ICD-10-PCS by
        /// code prefix; only codes valid on the day (default today).
        Lookup {
            /// icd10cm or icd10pcs.
            system: String,
            /// A code prefix (E11, e11.6, 0DT) or words ("type 2 diabetes").
            text: String,
            /// How many codes at most (default 20, never more than 1000).
            #[arg(long)]
            limit: Option<usize>,
            #[arg(long, value_name = "YYYY-MM-DD")]
            as_of: Option<String>,
            /// Output: text (code, billable mark, description) or json (one array).
            #[arg(long, value_enum, default_value_t = Format::Text)]
            format: Format,
        },
        /// Validate FHIR R4 JSON resources.
        ///
        /// PATH is a .json file (one resource or a Bundle), a .ndjson file (one resource per
        /// line, as FHIR Bulk Data exports are), or - for standard input (JSON or NDJSON).
        /// Exit status: 0 no errors, 1 some resource has errors, 2 usage error or unreadable input.
        Validate {
            /// Output: text for people, json (one line per resource), outcome (one FHIR
            /// OperationOutcome per line).
            #[arg(long, value_enum, default_value_t = Format::Text)]
            format: Format,
            /// Date of service (YYYY-MM-DD) that date-dependent rules judge by; default today.
            #[arg(long, value_name = "YYYY-MM-DD")]
            as_of: Option<String>,
            /// Completeness profile: default (modelled on US Core), none (FHIR R4 alone), or
            /// the path of a profile JSON file (docs/profiles.md).
            /// Overrides the profile of --config.
            #[arg(long, value_name = "default|none|FILE")]
            profile: Option<String>,
            /// Validator options as JSON (profile, require, rules, asOf, locale, limits), as the
            /// JS API takes them.
            #[arg(long, value_name = "FILE")]
            config: Option<String>,
            /// Most bytes of one resource: a .json file, or one line of NDJSON (default
            /// 10000000, 10 MB). Larger input is reported as not checked, and the rest goes on.
            /// Overrides limits.maxBytes of --config.
            #[arg(long, value_name = "BYTES")]
            max_bytes: Option<u64>,
            /// Language of the issue messages: en (default) or es. Issue codes and paths are
            /// the same in every language. Overrides the locale of --config.
            #[arg(long, value_name = "en|es")]
            locale: Option<String>,
            /// An Implementation Guide whose profiles records claim in meta.profile: a FHIR
            /// package as published (a .tgz of package/*.json) or unpacked (the folder holding
            /// package/, or package/ itself). Repeatable; added to the ig of --config.
            #[arg(long, value_name = "PATH")]
            ig: Vec<String>,
            #[arg(required = true, value_name = "PATH")]
            paths: Vec<String>,
        },
        /// Implementation Guides: `ehrlint ig pack`.
        Ig {
            #[command(subcommand)]
            command: IgCommand,
        },
    }

    #[derive(Subcommand)]
    enum IgCommand {
        /// Compile Implementation Guides once into one file that a validator loads in
        /// milliseconds (`validate --ig FILE`, or the npm package's `ig` option given the
        /// file's bytes), so that a page never ships or parses a guide's JSON.
        ///
        /// PATH is a FHIR package as published (.tgz) or unpacked (a folder), or a file this
        /// command wrote. Profiles build on the built-in US Core 6.1.0.
        Pack {
            #[arg(required = true, value_name = "PATH")]
            paths: Vec<String>,
            /// The file to write.
            #[arg(short, long, value_name = "FILE")]
            output: String,
            /// A package whose value sets and code systems expand the guides' bindings (HL7's
            /// terminology package, npm hl7.terminology.r4), its own profiles left out.
            /// Repeatable.
            #[arg(long, value_name = "PATH")]
            terminology: Vec<String>,
            /// Compile without the built-in US Core (how US Core's own is written).
            #[arg(long)]
            without_us_core: bool,
            /// Leave out every LOINC, SNOMED CT and CPT code but those of this file (one
            /// `system|code` a line): what needs another is not checked. How the built-in US
            /// Core is written (tools/gen-packs.sh).
            #[arg(long, value_name = "FILE")]
            licensed_codes_kept: Option<String>,
        },
    }

    #[derive(Clone, Copy, ValueEnum)]
    enum Format {
        Text,
        Json,
        Outcome,
    }

    /// One resource's result (its report, or why it is not a resource) and where it was read.
    struct Outcome {
        source: String,
        checked: Checked,
    }

    pub fn main() -> ExitCode {
        let cli = match Cli::try_parse() {
            Ok(cli) => cli,
            Err(e) => {
                let code = if e.use_stderr() { 2 } else { 0 };
                let _ = e.print();
                return ExitCode::from(code);
            }
        };
        match cli.command {
            Command::Lookup {
                system,
                text,
                limit,
                as_of,
                format,
            } => lookup(&system, &text, limit, as_of.as_deref(), format),
            Command::Validate {
                format,
                as_of,
                profile,
                config,
                max_bytes,
                locale,
                ig,
                paths,
            } => validate(
                format,
                as_of.as_deref(),
                Overrides {
                    config: config.as_deref(),
                    profile: profile.as_deref(),
                    locale: locale.as_deref(),
                    max_bytes,
                    ig: &ig,
                },
                &paths,
            ),
            Command::Ig {
                command:
                    IgCommand::Pack {
                        paths,
                        output,
                        terminology,
                        without_us_core,
                        licensed_codes_kept,
                    },
            } => ig_pack(
                &paths,
                &output,
                terminology,
                !without_us_core,
                licensed_codes_kept.as_deref(),
            ),
        }
    }

    /// `ehrlint ig pack`: exit status 0 written, 2 a guide that does not read or a file that
    /// cannot be written.
    fn ig_pack(
        paths: &[String],
        output: &str,
        terminology: Vec<String>,
        over_us_core: bool,
        kept: Option<&str>,
    ) -> ExitCode {
        let source = |p: &String| IgSource::Path(p.into());
        let kept = match kept.map(std::fs::read_to_string).transpose() {
            Ok(text) => text.map(|t| {
                t.lines()
                    .map(str::trim)
                    .filter(|l| !l.is_empty() && !l.starts_with('#'))
                    .map(str::to_string)
                    .collect()
            }),
            Err(e) => {
                eprintln!("ehrlint: ig pack: --licensed-codes-kept: {e}");
                return ExitCode::from(2);
            }
        };
        let options = ehrlint::PackOptions {
            terminology: terminology.iter().map(source).collect(),
            over_us_core,
            licensed_codes_kept: kept,
        };
        let started = std::time::Instant::now();
        let guides: Vec<IgSource> = paths.iter().map(source).collect();
        let packed = ehrlint::pack_guides(&guides, &options);
        let written = packed.and_then(|bytes| {
            std::fs::write(output, &bytes)
                .map(|()| bytes.len())
                .map_err(|e| format!("{output}: {e}"))
        });
        match written {
            Ok(size) => {
                eprintln!(
                    "ehrlint: wrote {output}: {size} bytes, compiled in {} ms",
                    started.elapsed().as_millis()
                );
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("ehrlint: ig pack: {e}");
                ExitCode::from(2)
            }
        }
    }

    /// The ICD-10-CM descriptions, built into the command-line tool (not the Wasm) for lookup.
    const DESCRIPTIONS: &str = include_str!("../../data/icd10cm-descriptions.tsv");

    fn lookup(
        system: &str,
        text: &str,
        limit: Option<usize>,
        as_of: Option<&str>,
        format: Format,
    ) -> ExitCode {
        let as_of = match as_of.map(parse_as_of).transpose() {
            Ok(d) => d,
            Err(e) => {
                eprintln!("ehrlint: --as-of: {e}");
                return ExitCode::from(2);
            }
        };
        let validator = match Validator::new(Options::default()) {
            Ok(v) => v,
            Err(e) => {
                eprintln!("ehrlint: {e}");
                return ExitCode::from(2);
            }
        };
        if let Err(e) = validator.load_descriptions(DESCRIPTIONS.to_string()) {
            eprintln!("ehrlint: {e}");
            return ExitCode::from(2);
        }
        let found = match validator.lookup(system, text, &LookupOptions::new(limit, as_of)) {
            Ok(f) => f,
            Err(e) => {
                eprintln!("ehrlint: {e}");
                return ExitCode::from(2);
            }
        };
        match format {
            Format::Json | Format::Outcome => println!("{}", json!(found)),
            Format::Text => {
                for f in &found {
                    let mark = if f.billable { " " } else { "*" };
                    println!("{:<9}{mark} {}", f.code, f.display.as_deref().unwrap_or(""));
                }
                if found.iter().any(|f| !f.billable) {
                    println!("(* a category: not billable, choose a code below it)");
                }
            }
        }
        ExitCode::from(if found.is_empty() { 1 } else { 0 })
    }

    /// `default`/`none`, or a profile file.
    fn profile_choice(profile: &str) -> Result<ProfileChoice, String> {
        if matches!(profile, "default" | "none") {
            return Ok(ProfileChoice::BuiltIn(profile.to_string()));
        }
        let text = std::fs::read_to_string(profile).map_err(|e| format!("{profile}: {e}"))?;
        let doc = ehrlint::parse(&text).map_err(|e| format!("{profile}: {e}"))?;
        Ok(ProfileChoice::Custom(doc.into()))
    }

    /// The options given on the command line: --config, with --profile, --locale and
    /// --max-bytes over it, and --ig added to its ig.
    struct Overrides<'a> {
        config: Option<&'a str>,
        profile: Option<&'a str>,
        locale: Option<&'a str>,
        max_bytes: Option<u64>,
        ig: &'a [String],
    }

    fn options(given: Overrides) -> Result<Options, String> {
        let Overrides {
            config,
            profile,
            locale,
            max_bytes,
            ig,
        } = given;
        let mut options = match config {
            Some(path) => {
                let text =
                    std::fs::read_to_string(path).map_err(|e| format!("--config: {path}: {e}"))?;
                let value = ehrlint::parse(&text).map_err(|e| format!("--config: {path}: {e}"))?;
                let mut options = Options::from_json(value.into())
                    .map_err(|e| format!("--config: {path}: {e}"))?;
                // A package's path named in the file is found from the file's own folder.
                let home = std::path::Path::new(path)
                    .parent()
                    .unwrap_or(std::path::Path::new(""));
                for source in options.ig.iter_mut().flatten() {
                    if let IgSource::Path(folder) = source {
                        *folder = home.join(&*folder);
                    }
                }
                options
            }
            None => Options::default(),
        };
        if !ig.is_empty() {
            let sources = options.ig.get_or_insert_with(Vec::new);
            sources.extend(ig.iter().map(|f| IgSource::Path(f.into())));
        }
        if let Some(p) = profile {
            options.profile = Some(profile_choice(p).map_err(|e| format!("--profile: {e}"))?);
        }
        if let Some(tag) = locale {
            // Checked here so the error names the flag rather than the options key.
            ehrlint::Locale::from_tag(tag).map_err(|e| format!("--{e}"))?;
            options.locale = Some(tag.to_string());
        }
        if let Some(max) = max_bytes {
            if max == 0 {
                return Err("--max-bytes: must be at least 1".into());
            }
            let limits = options.limits.get_or_insert_with(Limits::default);
            limits.max_bytes = max;
        }
        Ok(options)
    }

    fn validate(
        format: Format,
        as_of: Option<&str>,
        given: Overrides,
        paths: &[String],
    ) -> ExitCode {
        let mut context = Context::default();
        if let Some(s) = as_of {
            match parse_as_of(s) {
                Ok(d) => context.as_of = Some(d),
                Err(e) => {
                    eprintln!("ehrlint: --as-of: {e}");
                    return ExitCode::from(2);
                }
            }
        }
        let validator = match options(given).and_then(Validator::new) {
            Ok(v) => v,
            Err(e) => {
                eprintln!("ehrlint: {e}");
                return ExitCode::from(2);
            }
        };
        let stdout = io::stdout();
        let mut out = BufWriter::new(stdout.lock());
        let (mut unreadable, mut failed, mut checked) = (false, 0usize, 0usize);

        let limits = *validator.limits();
        for path in paths {
            // Each resource (a .json file, an NDJSON line) is within the limits or reported
            // as not checked on its own; the rest go on.
            let mut each = |source: String, result: Checked| {
                let outcome = Outcome {
                    source,
                    checked: result,
                };
                checked += 1;
                if !outcome.checked.valid() {
                    failed += 1;
                }
                print(&mut out, format, &outcome)
            };
            let written = match source(path, &limits) {
                Ok(Source::Lines(reader)) => {
                    match input::ndjson_lines(reader, &limits, |n, line| {
                        each(format!("{path}:{n}"), validator.check_text(line, &context))
                    }) {
                        Err(NdjsonStop::Read { line, error }) => {
                            eprintln!("ehrlint: {path}: reading stopped at line {line}: {error}");
                            Ok(())
                        }
                        Err(NdjsonStop::Caller(e)) => Err(e),
                        Ok(()) => Ok(()),
                    }
                }
                Ok(Source::TooLarge(e)) => {
                    let refused = Err(InputError::Limit(e));
                    each(path.clone(), validator.check_text(refused, &context))
                }
                Ok(Source::Text(name, text)) if is_ndjson(path, &text) => {
                    match input::ndjson_lines(text.as_bytes(), &limits, |n, line| {
                        each(format!("{name}:{n}"), validator.check_text(line, &context))
                    }) {
                        Err(NdjsonStop::Caller(e)) => Err(e),
                        // Text in memory cannot fail to read.
                        Err(NdjsonStop::Read { .. }) | Ok(()) => Ok(()),
                    }
                }
                // The text is freed once parsed: a large file's is not held while it is checked.
                Ok(Source::Text(name, text)) => each(name, validator.check_owned(text, &context)),
                Err(e) => {
                    eprintln!("ehrlint: {path}: {e}");
                    unreadable = true;
                    continue;
                }
            };
            if written.is_err() {
                // Standard output closed (e.g. piped into `head`): stop quietly.
                return ExitCode::from(if failed > 0 { 1 } else { 0 });
            }
        }
        if let Format::Text = format {
            let _ = writeln!(
                out,
                "{checked} resource{} checked, {failed} with errors.",
                if checked == 1 { "" } else { "s" }
            );
        }
        let _ = out.flush();
        ExitCode::from(if unreadable {
            2
        } else if failed > 0 {
            1
        } else {
            0
        })
    }

    /// What a path holds: NDJSON read line by line, a .json file too large to read, or text.
    enum Source {
        Lines(BufReader<std::fs::File>),
        TooLarge(ehrlint::LimitError),
        Text(String, String),
    }

    fn source(path: &str, limits: &Limits) -> io::Result<Source> {
        if path == "-" {
            let mut text = String::new();
            io::stdin().read_to_string(&mut text)?;
            return Ok(Source::Text("<stdin>".to_string(), text));
        }
        let file = std::fs::File::open(path)?;
        match Path::new(path).extension().and_then(|e| e.to_str()) {
            Some("ndjson") | Some("jsonl") => return Ok(Source::Lines(BufReader::new(file))),
            Some("json") => {
                // Refused by its size, unread.
                if let Err(e) = limits.check_size(file.metadata()?.len()) {
                    return Ok(Source::TooLarge(e));
                }
            }
            _ => {}
        }
        let mut bytes = Vec::new();
        BufReader::new(file).read_to_end(&mut bytes)?;
        let text = String::from_utf8(bytes)
            .map_err(|_| io::Error::new(io::ErrorKind::InvalidData, "not UTF-8 text"))?;
        Ok(Source::Text(path.to_string(), text))
    }

    /// `.ndjson` files are NDJSON; `.json` files are one document; anything else (stdin) is
    /// NDJSON when its first non-blank line is a JSON value by itself.
    fn is_ndjson(path: &str, text: &str) -> bool {
        match Path::new(path).extension().and_then(|e| e.to_str()) {
            Some("ndjson") | Some("jsonl") => true,
            Some("json") => false,
            _ => input::looks_like_ndjson(text),
        }
    }

    fn print(out: &mut impl Write, format: Format, o: &Outcome) -> io::Result<()> {
        match (format, &o.checked.result) {
            (Format::Json, _) => {
                let place = Value::from(o.source.as_str());
                o.checked.write_json(("source", &place), out)?;
                writeln!(out)
            }
            (Format::Outcome, _) => {
                // Written as it is made, not held as text first: a large report's is large.
                serde_json::to_writer(&mut *out, &o.checked.to_operation_outcome())?;
                writeln!(out)
            }
            (Format::Text, Ok(report)) => {
                let rt = o.checked.resource_type.as_deref().unwrap_or("?");
                let name = match &o.checked.id {
                    Some(id) => format!("{rt}/{id}"),
                    None => rt.to_string(),
                };
                let count = |s: Severity| report.issues.iter().filter(|i| i.severity == s).count();
                let (e, w) = (count(Severity::Error), count(Severity::Warning));
                if report.issues.is_empty() {
                    writeln!(out, "{}: {name}: ok", o.source)?;
                } else {
                    writeln!(
                        out,
                        "{}: {name}: {e} error{}, {w} warning{}",
                        o.source,
                        plural(e),
                        plural(w)
                    )?;
                }
                for i in &report.issues {
                    writeln!(
                        out,
                        "  {:<11} {}  [{}]  {}",
                        i.severity.as_str(),
                        i.expression,
                        i.code,
                        i.message
                    )?;
                }
                Ok(())
            }
            (Format::Text, Err(e @ InputError::Limit(_))) => {
                writeln!(out, "{}: not checked: {e}", o.source)
            }
            (Format::Text, Err(e)) => writeln!(out, "{}: not a resource: {e}", o.source),
        }
    }

    fn plural(n: usize) -> &'static str {
        if n == 1 {
            ""
        } else {
            "s"
        }
    }
}
