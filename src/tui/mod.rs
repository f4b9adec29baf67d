//! The full-screen wizard. Pure core, thin shell: `app` holds the state (in
//! parts: form, draft, run, view) and the one `update(msg) -> effects`
//! function, with key handling in `handlers`; `runtime` performs effects and
//! owns the terminal (all IO); `view` and `panels` render (one file per
//! step); `keymap` maps keys to actions in one table; `diff` and `repair`
//! prepare writes for confirmation.

pub mod app;
pub mod diff;
pub mod fields;
mod handlers;
pub mod keymap;
pub mod msg;
pub mod panels;
pub mod repair;
pub mod runtime;
pub mod theme;
pub mod view;

pub use app::App;
