//! The wizard's `/` search and its multi-profile fix (issue 23, SPEC 6),
//! through `update` without a terminal and through the rendered screen
//! (`TestBackend`): the query is live and case-insensitive, Enter keeps it
//! and Esc leaves it, `n` / `N` go between the matches (scrolled into view)
//! instead of between problems, the footer says `/query  3/7`, matches are
//! marked on screen; and `F` builds the same trim for every profile with a
//! quoted secret into the draft, shown as one diff before anything is saved.

mod support;

use credwiz::diagnose::Cause;
use credwiz::tui::App;
use credwiz::tui::app::Modal;
use credwiz::tui::keymap::Mode;
use credwiz::tui::msg::{Effect, Msg};
use credwiz::tui::search::Pane;
use crossterm::event::KeyCode;
use ratatui::style::{Color, Modifier};
use support::wizard::*;

const QUOTED: &str = "[default]\naws_access_key_id = AKIAQWERTYUIOPASDFGH\naws_secret_access_key = \"wJalrXUtnFEMI/K7MDENG/bPxRfiCYabcdefghij\"\n";

fn quoted_world() -> App {
    let mut app = started(app_with("[default]\nregion = us-east-1\n", QUOTED), vec![identity()]);
    app.update(Msg::Resize(100, 30));
    app
}

fn search(app: &mut App, query: &str) {
    app.update(key(KeyCode::Char('/')));
    typed(app, query);
}

fn footer(app: &App, width: u16, height: u16) -> String {
    screen(app, width, height).lines().last().unwrap_or_default().to_string()
}

#[test]
fn slash_searches_the_panel_live_without_case_and_the_footer_counts() {
    let mut app = quoted_world();
    app.update(key(KeyCode::Char('/')));
    assert_eq!(app.mode(), Mode::Search);
    typed(&mut app, "SECRET");
    let hits = app.search_hits();
    assert!(hits.len() >= 2, "the panel says secret more than once: {hits:?}");
    assert!(hits.iter().all(|h| h.pane == Pane::Panel || h.pane == Pane::Guide));
    let foot = footer(&app, 100, 30);
    assert!(foot.contains(&format!("/SECRET  1/{}", hits.len())), "{foot}");
    // Live: one more letter, fewer matches.
    typed(&mut app, "-KEY-NOTHING-SAYS");
    assert!(app.search_hits().is_empty());
    assert!(footer(&app, 100, 30).contains("no match"));
    for _ in 0.."-KEY-NOTHING-SAYS".len() {
        app.update(key(KeyCode::Backspace));
    }
    assert_eq!(app.search_hits().len(), hits.len());
    app.update(key(KeyCode::Enter));
    assert_eq!(app.mode(), Mode::Normal, "Enter keeps the search and gives the keys back");
    assert!(app.view.search.is_some());
}

#[test]
fn n_and_shift_n_go_between_matches_while_a_search_is_active_then_between_problems() {
    let mut app = quoted_world();
    search(&mut app, "secret");
    app.update(key(KeyCode::Enter));
    let count = app.search_hits().len();
    assert!(count >= 2);
    let step = app.view.step;
    app.update(key(KeyCode::Char('n')));
    assert_eq!(app.view.search.as_ref().map(|s| s.current), Some(1));
    assert!(footer(&app, 100, 30).contains(&format!("/secret  2/{count}")));
    app.update(key(KeyCode::Char('N')));
    app.update(key(KeyCode::Char('N')));
    assert_eq!(app.view.search.as_ref().map(|s| s.current), Some(count - 1), "N goes round the start");
    assert_eq!(app.view.step, step, "n / N did not go to a problem in another step");
    // Esc leaves the search; then n is the next problem again.
    app.update(key(KeyCode::Esc));
    assert!(app.view.search.is_none() && !app.quit);
    assert!(!footer(&app, 100, 30).contains("/secret"));
    let before = app.current_check().map(|c| c.id);
    app.update(key(KeyCode::Char('n')));
    assert!(app.current_check().is_some() && app.view.search.is_none(), "{before:?}");
}

#[test]
fn esc_while_typing_leaves_the_search() {
    let mut app = quoted_world();
    search(&mut app, "sec");
    app.update(key(KeyCode::Esc));
    assert!(app.view.search.is_none() && app.mode() == Mode::Normal && !app.quit);
    assert!(app.search_hits().is_empty());
}

#[test]
fn a_match_below_the_fold_is_scrolled_into_view() {
    let mut app = quoted_world();
    app.update(Msg::Resize(80, 24));
    let height = credwiz::tui::layout::panel_height(&app);
    search(&mut app, "the");
    app.update(key(KeyCode::Enter));
    app.update(key(KeyCode::Char('N')));
    let count = app.search_hits().len();
    assert_eq!(app.view.search.as_ref().map(|s| s.current), Some(count - 1), "N from the first goes to the last");
    assert!(app.current_hit().is_some_and(|h| h.line >= height), "the last match was below the fold");
    let hit = app.current_hit().expect("a current match");
    let height = credwiz::tui::layout::panel_height(&app);
    let top = credwiz::tui::layout::panel_top(&app);
    assert!(hit.line >= top && hit.line < top + height, "line {} not within {top}..{}", hit.line, top + height);
}

#[test]
fn the_full_screen_guide_searches_and_esc_leaves_the_search_then_the_guide() {
    let mut app = quoted_world();
    app.update(key(KeyCode::Char('g')));
    assert!(matches!(app.view.modal, Some(Modal::Guide(_))), "{:?}", app.view.modal);
    search(&mut app, "AWS");
    app.update(key(KeyCode::Enter));
    let hits = app.search_hits();
    assert!(hits.len() >= 2 && hits.iter().all(|h| h.pane == Pane::Guide), "{hits:?}");
    app.update(key(KeyCode::Char('n')));
    assert_eq!(app.view.search.as_ref().map(|s| s.current), Some(1));
    assert!(footer(&app, 100, 30).contains(&format!("/AWS  2/{}", hits.len())));
    app.update(key(KeyCode::Esc));
    assert!(app.view.search.is_none() && matches!(app.view.modal, Some(Modal::Guide(_))));
    app.update(key(KeyCode::Esc));
    assert!(app.view.modal.is_none());
}

#[test]
fn the_guide_column_of_a_wide_screen_is_searched_after_the_panel() {
    let mut app = quoted_world();
    app.update(Msg::Resize(160, 40));
    search(&mut app, "the");
    let panes: Vec<Pane> = app.search_hits().iter().map(|h| h.pane).collect();
    assert!(panes.contains(&Pane::Panel) && panes.contains(&Pane::Guide), "{panes:?}");
    let first_guide = panes.iter().position(|p| *p == Pane::Guide).unwrap_or(0);
    assert!(panes.iter().skip(first_guide).all(|p| *p == Pane::Guide), "panel first, then the guide");
}

#[test]
fn matches_are_marked_on_screen_and_the_current_one_stands_apart() {
    let mut app = quoted_world();
    search(&mut app, "secret");
    app.update(key(KeyCode::Enter));
    let backend = ratatui::backend::TestBackend::new(100, 30);
    let mut terminal = ratatui::Terminal::new(backend).expect("terminal");
    terminal.draw(|frame| credwiz::tui::view::render(frame, &app)).expect("draw");
    let buffer = terminal.backend().buffer();
    // The runs of marked cells, row by row: the other matches on yellow, the current one underlined.
    let runs = |marked: &dyn Fn(&ratatui::buffer::Cell) -> bool| -> Vec<String> {
        let mut runs = Vec::new();
        for y in 0..29u16 {
            let mut run = String::new();
            for x in 0..100u16 {
                match buffer.cell((x, y)).filter(|c| marked(c)) {
                    Some(cell) => run.push_str(cell.symbol()),
                    None if !run.is_empty() => runs.push(std::mem::take(&mut run)),
                    None => {}
                }
            }
            if !run.is_empty() {
                runs.push(run);
            }
        }
        runs
    };
    let others = runs(&|c| c.bg == Color::Yellow);
    let current = runs(&|c| c.modifier.contains(Modifier::UNDERLINED));
    assert!(!others.is_empty() && others.iter().all(|r| r.eq_ignore_ascii_case("secret")), "{others:?}");
    assert_eq!(current.len(), 1, "{current:?}");
    assert!(current.iter().all(|r| r.eq_ignore_ascii_case("secret")), "{current:?}");
    assert_eq!(others.len() + 1, app.search_hits().len(), "every match on screen is marked");
}

#[test]
fn the_key_table_and_help_name_the_search_and_the_fix_for_all() {
    let help = credwiz::tui::keymap::help_text();
    assert!(help.contains("search the panel and the guide") && help.contains("next / previous match"), "{help}");
    assert!(help.contains("fix every profile with the cause"), "{help}");
}

const THREE_QUOTED: &str = "[default]\naws_access_key_id = AKIAQWERTYUIOPASDFGH\naws_secret_access_key = \"wJalrXUtnFEMI/K7MDENG/bPxRfiCYabcdefghij\"\n[ops]\naws_access_key_id = AKIAQWERTYUIOPASDFGJ\naws_secret_access_key = \"xJalrXUtnFEMI/K7MDENG/bPxRfiCYabcdefghij\"\n[prod]\naws_access_key_id = AKIAQWERTYUIOPASDFGK\naws_secret_access_key = ' yJalrXUtnFEMI/K7MDENG/bPxRfiCYabcdefghij '\n[fine]\naws_access_key_id = AKIAQWERTYUIOPASDFGL\naws_secret_access_key = zJalrXUtnFEMI/K7MDENG/bPxRfiCYabcdefghij\n";

#[test]
fn f_trims_the_quoted_secret_of_every_profile_with_it_in_one_diff() {
    let config = "[default]\nregion = us-east-1\n[profile ops]\nregion = us-east-1\n[profile prod]\nregion = us-east-1\n[profile fine]\nregion = us-east-1\n";
    let mut app = started(app_with(config, THREE_QUOTED), vec![identity()]);
    app.update(Msg::Resize(100, 30));
    let others = app.same_cause_repairs(Cause::CredentialWhitespace);
    let names: Vec<&str> = others.iter().map(|(p, _)| p.as_str()).collect();
    assert_eq!(names, ["ops", "prod"], "the profiles with the same cause, not `fine`");
    let effects = app.update(key(KeyCode::Char('F')));
    assert!(matches!(effects.first(), Some(Effect::Gather { .. })), "the checks run again: {effects:?}");
    let draft = app.draft.edited.credentials.document.render();
    assert!(!draft.contains('"') && !draft.contains('\''), "three trims in the draft:\n{}", draft.len());
    assert!(draft.contains("aws_secret_access_key = yJalr"), "prod's spaces trimmed too");
    assert!(draft.contains("aws_secret_access_key = zJalr"), "fine is untouched");
    let Some(Modal::ConfirmSave(diff)) = &app.view.modal else { panic!("no save diff: {:?}", app.view.modal) };
    let changed: Vec<&String> = diff.iter().filter(|l| l.starts_with('+')).collect();
    let secret_lines = changed.iter().filter(|l| l.contains("aws_secret_access_key")).count();
    assert_eq!(secret_lines, 3, "one diff lists the three: {diff:#?}");
    assert!(!diff.iter().any(|l| l.contains("Jalr")), "secrets stay masked in the diff: {diff:#?}");
    let effects = app.update(key(KeyCode::Char('y')));
    assert!(matches!(effects.first(), Some(Effect::Save { .. })), "y saves all of it at once: {effects:?}");
    // One undo takes the three back.
    let mut undone = started(app_with(config, THREE_QUOTED), vec![identity()]);
    undone.update(key(KeyCode::Char('F')));
    undone.update(key(KeyCode::Esc));
    undone.update(key(KeyCode::Char('u')));
    assert!(!undone.draft.is_dirty(), "u undoes the fix of all three at once");
}

#[test]
fn enter_on_the_fix_says_f_fixes_the_others_and_f_still_does_after() {
    let config = "[default]\nregion = us-east-1\n[profile ops]\n[profile prod]\n[profile fine]\n";
    let mut app = started(app_with(config, THREE_QUOTED), vec![identity()]);
    app.update(Msg::Resize(100, 30));
    let (step, index) = *app.problems().first().expect("a problem");
    app.view.step = step;
    let at = app.items().iter().position(|i| *i == credwiz::tui::app::Item::Check(index)).expect("the check");
    app.view.cursor = at;
    assert_eq!(app.current_check().and_then(|c| c.cause), Some(Cause::CredentialWhitespace));
    app.update(key(KeyCode::Enter));
    let said = app.view.notice.as_ref().map(|n| n.text.clone()).unwrap_or_default();
    assert!(said.contains("2 other profiles") && said.contains("F fixes"), "{said}");
    app.update(key(KeyCode::Char('F')));
    let draft = app.draft.edited.credentials.document.render();
    assert!(!draft.contains('"') && !draft.contains('\''), "the others trimmed as well");
    assert!(matches!(app.view.modal, Some(Modal::ConfirmSave(_))));
}
