// No console window on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    // WebKitGTK's GL compositing loads LLVM and a software renderer on most
    // workstations without a GPU driver for it: about 80 MB more memory for
    // nothing Chipwatch's pages need (measured by scripts/bench-footprint.sh).
    // A user who wants it back sets the variable to 0.
    if std::env::var_os("WEBKIT_DISABLE_COMPOSITING_MODE").is_none() {
        std::env::set_var("WEBKIT_DISABLE_COMPOSITING_MODE", "1");
    }
    chipwatch_app::run();
}
