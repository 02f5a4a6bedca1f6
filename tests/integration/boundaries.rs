//! Architecture boundaries that a grep can keep: only `backend/src/db` talks to sea-orm.

use std::path::{Path, PathBuf};

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read dir").filter_map(Result::ok) {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn only_the_db_module_imports_sea_orm_or_its_migration_crate() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let db = src.join("db");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    assert!(files.len() > 50, "the walk found the sources: {}", files.len());
    let mut offenders = Vec::new();
    for file in files.iter().filter(|f| !f.starts_with(&db)) {
        let text = std::fs::read_to_string(file).expect("read");
        for (n, line) in text.lines().enumerate() {
            // The log filter names the crate as text; that is not talking to it.
            let code = line.replace("sea_orm=warn", "");
            if code.contains("sea_orm") {
                offenders.push(format!("{}:{}: {}", file.display(), n + 1, line.trim()));
            }
        }
    }
    assert!(
        offenders.is_empty(),
        "sea-orm outside backend/src/db (use crate::db::{{Db, DbErr}} and a function in db):\n{}",
        offenders.join("\n")
    );
}
