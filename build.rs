//! Writes the FHIR R4 model in binary form for the library to decode at start-up
//! (`Model::r4`): data/fhir-r4-model.json, the reviewed source, is decoded and checked by
//! src/fhir/model.rs's own code, compiled here as well, and the finished `Model` is written
//! with postcard to OUT_DIR/fhir-r4-model.postcard. Parsing 333 KB of JSON and copying the
//! inherited elements was most of `Validator::new`; decoding the binary form is a fraction.

#[allow(dead_code, unused_imports)]
#[path = "src/fhir/model.rs"]
mod model;

/// model.rs reads the binary form through its parent module: none exists yet here.
#[allow(dead_code)]
const MODEL_BINARY: &[u8] = &[];

fn main() {
    println!("cargo:rerun-if-changed=data/fhir-r4-model.json");
    println!("cargo:rerun-if-changed=src/fhir/model.rs");
    println!("cargo:rerun-if-changed=build.rs");
    let text = std::fs::read_to_string("data/fhir-r4-model.json")
        .unwrap_or_else(|e| fail(&format!("data/fhir-r4-model.json: {e}")));
    // Decoded strings borrow the text for the life of the model, as in the library.
    let text: &'static str = Box::leak(text.into_boxed_str());
    let model = model::Model::from_json(text).unwrap_or_else(|e| fail(&e));
    let bytes = postcard::to_allocvec(&model)
        .unwrap_or_else(|e| fail(&format!("the FHIR model does not encode: {e}")));
    let out =
        std::path::Path::new(&std::env::var("OUT_DIR").unwrap_or_else(|e| fail(&e.to_string())))
            .join("fhir-r4-model.postcard");
    std::fs::write(&out, bytes).unwrap_or_else(|e| fail(&format!("{}: {e}", out.display())));
}

fn fail(message: &str) -> ! {
    eprintln!("build.rs: {message}");
    std::process::exit(1);
}
