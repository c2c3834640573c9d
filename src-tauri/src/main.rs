// No console window on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    // WebKitGTK's GL compositing loads LLVM and a software renderer on most
    // workstations without a GPU driver for it: about 80 MB more memory for
    // nothing Chipwatch's pages need (measured by scripts/bench-footprint.sh).
    // A user who wants it back sets the variable to 0.
    set_unless_set("WEBKIT_DISABLE_COMPOSITING_MODE", "1");
    // JavaScriptCore's JIT keeps compiled code and its profiling data in the
    // web process: ~30 MB over a tour of the screens on a big workspace,
    // which took the Timeline and a large firm profile over the 300 MB budget
    // (scripts/bench-footprint.sh). Chipwatch's pages do little JavaScript
    // work per frame (the lists are paged or windowed), so the interpreter
    // shows every screen's first rows within the same budget. Set to 1 to
    // have the JIT back.
    set_unless_set("JSC_useJIT", "0");
    chipwatch_app::run();
}

/// Sets an environment variable the web processes inherit, unless the user set it.
fn set_unless_set(name: &str, value: &str) {
    if std::env::var_os(name).is_none() {
        std::env::set_var(name, value);
    }
}
