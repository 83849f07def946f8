//! Builds the admin UI and the GraphiQL page (admin-ui/, Vite + TypeScript)
//! before the Rust code that embeds them. Runs `npm ci` when the lock file
//! changed and `npm run build` when the UI's sources changed.

use std::path::{Path, PathBuf};
use std::process::Command;

const WATCHED: &[&str] = &[
    "package.json",
    "package-lock.json",
    "index.html",
    "graphiql.html",
    "vite.config.ts",
    "tsconfig.json",
    "src",
    "public",
];

fn npm(ui: &Path, args: &[&str]) {
    let npm = if cfg!(windows) { "npm.cmd" } else { "npm" };
    let status = Command::new(npm).args(args).current_dir(ui).status().unwrap_or_else(|error| {
        panic!(
            "\n\nBuilding qanda needs Node.js and npm (to build the admin UI in admin-ui/), \
             but `npm` could not be run: {error}.\nInstall Node.js 20.19 or newer, then build again.\n\n"
        )
    });
    if !status.success() {
        panic!(
            "\n\n`npm {}` failed in {} ({status}); see its output above.\n\n",
            args.join(" "),
            ui.display()
        );
    }
}

fn modified(path: &Path) -> Option<std::time::SystemTime> {
    path.metadata().and_then(|m| m.modified()).ok()
}

fn main() {
    let root =
        PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let ui = root.join("admin-ui");
    for entry in WATCHED {
        println!("cargo:rerun-if-changed=admin-ui/{entry}");
    }
    println!("cargo:rerun-if-env-changed=QANDA_SKIP_UI_BUILD");
    let pages = ["dist/index.html", "dist/graphiql.html"];
    if std::env::var_os("QANDA_SKIP_UI_BUILD").is_some()
        && pages.iter().all(|p| ui.join(p).exists())
    {
        return;
    }
    // Install packages when there are none yet or the lock file is newer.
    let installed = ui.join("node_modules/.package-lock.json");
    if modified(&installed) < modified(&ui.join("package-lock.json")) {
        npm(&ui, &["ci", "--no-audit", "--no-fund"]);
    }
    npm(&ui, &["run", "build"]);
    for page in pages {
        assert!(
            ui.join(page).exists(),
            "the admin UI build did not produce admin-ui/{page}"
        );
    }
}
