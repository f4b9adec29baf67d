//! Keys of the `/` search: typing the query (live), keeping it (Enter) or
//! leaving it (Esc), and `n` / `N` to the next / previous match, each
//! scrolled into view, in the panel, the guide column or the full-screen
//! guide. Part of `update`: pure.

use crate::tui::app::{App, Modal, Notice};
use crate::tui::keymap::Action;
use crate::tui::layout;
use crate::tui::msg::Effect;
use crate::tui::search::{self, Hit, Pane, Search};
use tui_input::InputRequest;

impl App {
    /// The matches of the search, in the order `n` visits them (none without a query).
    pub fn search_hits(&self) -> Vec<Hit> {
        let Some(query) = self.view.search.as_ref().map(|s| s.query.as_str()).filter(|q| !q.is_empty()) else {
            return Vec::new();
        };
        layout::search_panes(self).iter().flat_map(|(pane, lines)| search::find(lines, query, *pane)).collect()
    }

    /// The match gone to, if any.
    pub fn current_hit(&self) -> Option<Hit> {
        let current = self.view.search.as_ref()?.current;
        self.search_hits().get(current).copied()
    }

    /// Whether a search is kept (then `n` / `N` go between its matches).
    pub(crate) fn searching(&self) -> bool {
        self.view.search.as_ref().is_some_and(|s| !s.typing && !s.query.is_empty())
    }

    /// `/`: a new search, its query empty.
    pub(crate) fn start_search(&mut self) {
        self.view.search = Some(Search { query: String::new(), typing: true, current: 0 });
    }

    pub(crate) fn on_search(&mut self, action: Action) -> Vec<Effect> {
        let Some(mut search) = self.view.search.take() else { return Vec::new() };
        match action {
            Action::Quit => return self.request_quit(),
            Action::Cancel => return Vec::new(),
            Action::Keep if search.query.is_empty() => return Vec::new(),
            Action::Keep => {
                search.typing = false;
                self.view.search = Some(search);
                if self.search_hits().is_empty() {
                    let query = self.view.search.as_ref().map(|s| s.query.clone()).unwrap_or_default();
                    self.view.notice = Some(Notice::info(format!("no match for /{query}")));
                }
                return Vec::new();
            }
            Action::Edit(InputRequest::InsertChar(c)) => search.push(c),
            Action::Edit(InputRequest::DeletePrevChar) => {
                search.query.pop();
                search.current = 0;
            }
            Action::Edit(InputRequest::DeleteLine) => {
                search.query.clear();
                search.current = 0;
            }
            _ => {}
        }
        self.view.search = Some(search);
        self.reveal_hit();
        Vec::new()
    }

    /// Keys of the full-screen guide that concern the search: `/`, `n` / `N`,
    /// Esc while a search is shown (it leaves the search, not the guide).
    pub(crate) fn on_guide_search(&mut self, action: Action) -> Option<Vec<Effect>> {
        match action {
            Action::Search => self.start_search(),
            Action::NextMatch | Action::PrevMatch if self.searching() => self.next_match(action == Action::NextMatch),
            Action::NextMatch | Action::PrevMatch => {}
            Action::Cancel if self.view.search.take().is_some() => {}
            _ => return None,
        }
        Some(Vec::new())
    }

    /// `n` / `N` during a search: the next (previous) match, round the end.
    pub(crate) fn next_match(&mut self, forward: bool) {
        let count = self.search_hits().len();
        let Some(search) = self.view.search.as_mut() else { return };
        if count == 0 {
            self.view.notice = Some(Notice::info(format!("no match for /{}", search.query)));
            return;
        }
        search.current = if forward { (search.current + 1) % count } else { (search.current + count - 1) % count };
        self.reveal_hit();
    }

    /// Scrolls the pane of the current match so that it shows, a third of the way down.
    fn reveal_hit(&mut self) {
        let Some(hit) = self.current_hit() else { return };
        let full_guide = matches!(self.view.modal, Some(Modal::Guide(_)));
        match hit.pane {
            Pane::Panel => {
                let height = layout::panel_height(self);
                self.view.scroll = hit.line.saturating_sub(height / 3).min(layout::panel_max_scroll(self));
                self.view.follow = false;
            }
            Pane::Guide if full_guide => {
                let Some(modal) = self.view.modal.clone() else { return };
                let height = layout::modal_height(self, &modal);
                self.view.modal_scroll =
                    hit.line.saturating_sub(height / 3).min(layout::modal_max_scroll(self, &modal));
            }
            Pane::Guide => {
                let height = layout::panel_height(self);
                self.view.guide_scroll = hit.line.saturating_sub(height / 3).min(layout::guide_max_scroll(self));
            }
        }
    }
}
