use tem_core::verdict::VerdictState;
use yew::prelude::*;

use super::result::{error_message, is_spoofed};
use crate::i18n::{Lang, Msg};
use crate::state::Phase;

/// Passes what a view has to say on to the live region, when it changes.
#[hook]
pub fn use_note(on_note: &Callback<Option<Msg>>, note: Option<Msg>) {
    let on_note = on_note.clone();
    use_effect_with(note, move |note| on_note.emit(*note));
}

/// The page's one live region. Views come and go, and a live region that arrives with its
/// text is often not read, so this element stays and every change a shopper waits for (the
/// verdict above all) is said through it; `note` is what the start screen or the scanner
/// last had to say. A recall interrupts.
pub fn announcer(lang: Lang, phase: &Phase, note: Option<Msg>) -> Html {
    let en = lang.is_en();
    let mut urgent = false;
    let (said, then) = match phase {
        Phase::Home | Phase::Scanning => (note.map_or("", |note| note.text(lang)).into(), None),
        Phase::Checking(check) => match &check.outcome {
            None => (Msg::Loading.text(lang).into(), None),
            Some(outcome) => {
                let verdict = &outcome.assessment.verdict;
                urgent = verdict.state == VerdictState::Recalled;
                let summary = verdict.summary().get(en).to_string();
                (verdict.state.label().get(en).to_string(), Some(summary))
            }
        },
        Phase::Invalid { error, .. } => {
            let title = match is_spoofed(error) {
                true => VerdictState::NotAuthentic.label().get(en).to_string(),
                false => Msg::CannotCheck.text(lang).into(),
            };
            (title, Some(error_message(error, lang)))
        }
        Phase::Elsewhere { .. } => (Msg::OtherSystem.text(lang).into(), None),
    };
    html! {
        <p class="visually-hidden" role="status" aria-live={if urgent { "assertive" } else { "polite" }}
            aria-atomic="true" data-testid="announce">
            {said}
            if let Some(then) = then { {". "}{then} }
        </p>
    }
}
