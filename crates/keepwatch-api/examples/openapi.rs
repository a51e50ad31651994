//! Prints the OpenAPI document: `cargo run -p keepwatch-api --example openapi > api/openapi.json`.

fn main() {
    print!("{}", keepwatch_api::openapi::document_json());
}
