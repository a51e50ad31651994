fn main() {
    // The manifest sits at the repository root, so point Tauri at the shell's own capability files.
    let attributes =
        tauri_build::Attributes::new().capabilities_path_pattern("./src-tauri/capabilities/**/*");
    tauri_build::try_build(attributes).expect("tauri-build failed");
}
