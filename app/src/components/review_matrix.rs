//! The review as a matrix: applications down, secrets across, one window at a time (the
//! server sends only the window). Each cell says the grant's state in a symbol and words, links
//! to the secret, and the grid is walked with the arrow keys (Home and End go to a row's ends).

use leptos::prelude::*;

use crate::api::review::{MATRIX_COLUMNS, MATRIX_ROWS};
use crate::components::browser::{event_target_id, focus_roving};
use crate::components::review_state::{ReviewState, flag_label};
use crate::types::MatrixWindow;
use domain::ReviewFlag;

const CELLS: &str = ".matrix [data-cell]";

#[component]
pub fn ReviewMatrix(
    model: String,
    state: ReviewState,
    window: Option<MatrixWindow>,
) -> impl IntoView {
    let Some(w) = window.filter(|w| !w.applications.is_empty()) else {
        return view! { <p class="empty">"No application holds a grant that this filter selects."</p> }.into_any();
    };
    let (rows, columns) = (w.applications.len(), w.secrets.len());
    let on_key = move |ev: leptos::ev::KeyboardEvent| {
        let Some((r, c)) = focused_cell(&ev) else {
            return;
        };
        let (r, c) = match ev.key().as_str() {
            "ArrowUp" => (r.saturating_sub(1), c),
            "ArrowDown" => ((r + 1).min(rows - 1), c),
            "ArrowLeft" => (r, c.saturating_sub(1)),
            "ArrowRight" => (r, (c + 1).min(columns - 1)),
            "Home" => (r, 0),
            "End" => (r, columns - 1),
            _ => return,
        };
        ev.prevent_default();
        focus_roving(&cell_id(r, c), CELLS);
    };
    let pager = Pager {
        state: state.clone(),
        w: w.clone(),
    };
    view! {
        <Legend />
        {pager.view()}
        <div class="matrix-wrap">
            <table class="matrix" role="grid" aria-label="Grants: applications by secrets" aria-rowcount=w.total_applications + 1 aria-colcount=w.total_secrets + 1 on:keydown=on_key>
                <thead>
                    <tr>
                        <th scope="col">"Application"</th>
                        {w.secrets.iter().map(|(id, label)| view! {
                            <th scope="col"><a href=format!("/models/{model}/secrets/{id}")>{label.clone()}</a></th>
                        }).collect_view()}
                    </tr>
                </thead>
                <tbody>
                    {w.applications.iter().enumerate().map(|(r, app)| view! {
                        <tr>
                            <th scope="row"><a href=format!("/models/{model}/applications/{app}")>{app.clone()}</a></th>
                            {w.cells[r].iter().enumerate().map(|(c, cell)| {
                                let (id, secret) = (cell_id(r, c), &w.secrets[c]);
                                let tabindex = if r == 0 && c == 0 { "0" } else { "-1" };
                                let name = format!("{app} — {}", secret.1);
                                view! {
                                    <td role="gridcell">{match cell {
                                        None => view! {
                                            <span id=id data-cell="" tabindex=tabindex class="cell none" aria-label=format!("{name}: no grant")>"·"</span>
                                        }.into_any(),
                                        Some(flags) => {
                                            let (symbol, words, class) = state_of(flags);
                                            view! {
                                                <a id=id data-cell="" tabindex=tabindex class=format!("cell {class}")
                                                    href=format!("/models/{model}/secrets/{}", secret.0)
                                                    aria-label=format!("{name}: {words}") title=words>
                                                    {symbol}
                                                </a>
                                            }.into_any()
                                        }
                                    }}</td>
                                }
                            }).collect_view()}
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

fn cell_id(r: usize, c: usize) -> String {
    format!("cell-{r}-{c}")
}

/// The row and column of the cell the key was pressed on.
fn focused_cell(ev: &leptos::ev::KeyboardEvent) -> Option<(usize, usize)> {
    let id = event_target_id(ev);
    let mut parts = id.strip_prefix("cell-")?.split('-');
    Some((parts.next()?.parse().ok()?, parts.next()?.parse().ok()?))
}

/// The state a cell shows: the most pressing flag, else "read recently".
fn state_of(flags: &[ReviewFlag]) -> (&'static str, String, &'static str) {
    let order = [
        ReviewFlag::NeverRead,
        ReviewFlag::Stale,
        ReviewFlag::Behind,
        ReviewFlag::NoToken,
    ];
    match order.into_iter().find(|f| flags.contains(f)) {
        None => ("✓", "read recently".to_owned(), "flag-ok"),
        Some(first) => {
            let words: Vec<&str> = flags.iter().map(|f| flag_label(*f).1).collect();
            let class = match first {
                ReviewFlag::NeverRead => "flag-never-read",
                ReviewFlag::Stale => "flag-stale",
                ReviewFlag::Behind => "flag-behind",
                ReviewFlag::NoToken => "flag-no-token",
            };
            (flag_label(first).0, words.join(", "), class)
        }
    }
}

#[component]
fn Legend() -> impl IntoView {
    let entries = [
        ("✓", "read recently", "flag-ok"),
        ("○", "never read", "flag-never-read"),
        ("◷", "stale", "flag-stale"),
        ("↓", "behind the latest revision", "flag-behind"),
        ("⊘", "no live token", "flag-no-token"),
        ("·", "no grant", "none"),
    ];
    view! {
        <ul class="legend" aria-label="Legend">
            {entries.into_iter().map(|(symbol, words, class)| view! {
                <li><span class=format!("cell {class}") aria-hidden="true">{symbol}</span>" "{words}</li>
            }).collect_view()}
        </ul>
    }
}

struct Pager {
    state: ReviewState,
    w: MatrixWindow,
}

impl Pager {
    fn link(&self, rows: usize, cols: usize, text: &'static str) -> impl IntoView + use<> {
        let href = self
            .state
            .href(&[("rows", rows.to_string()), ("cols", cols.to_string())]);
        view! { <a href=href>{text}</a> }
    }

    fn view(&self) -> impl IntoView + use<> {
        let (r, c, w) = (self.w.row_offset, self.w.column_offset, &self.w);
        let up = (r > 0).then(|| self.link(r.saturating_sub(MATRIX_ROWS), c, "↑ Applications"));
        let down = (r + MATRIX_ROWS < w.total_applications)
            .then(|| self.link(r + MATRIX_ROWS, c, "↓ Applications"));
        let left = (c > 0).then(|| self.link(r, c.saturating_sub(MATRIX_COLUMNS), "← Secrets"));
        let right = (c + MATRIX_COLUMNS < w.total_secrets)
            .then(|| self.link(r, c + MATRIX_COLUMNS, "Secrets →"));
        let shown = format!(
            "Applications {}–{} of {} · secrets {}–{} of {}",
            r + 1,
            r + w.applications.len(),
            w.total_applications,
            c + 1,
            c + w.secrets.len(),
            w.total_secrets
        );
        view! {
            <nav class="pager matrix-pager" aria-label="Matrix pages">
                {up}{down}{left}{right}
                <span class="muted">{shown}</span>
            </nav>
        }
    }
}
