use std::rc::Rc;

use tem_core::verdict::{Check, CheckId, Status, Verdict, VerdictState};
use yew::prelude::*;

use crate::i18n::{Lang, Msg, format_count};
use crate::state::Check as CodeCheck;

#[derive(Properties, PartialEq)]
pub struct VerdictProps {
    pub lang: Lang,
    /// A concluded check (its outcome is set).
    pub check: Rc<CodeCheck>,
}

/// The class (and `data-state`) of a verdict: what the page's colours and the tests key on.
pub fn state_class(state: VerdictState) -> &'static str {
    match state {
        VerdictState::Authentic => "ok",
        VerdictState::Caution => "caution",
        VerdictState::NotAuthentic => "bad",
        VerdictState::Recalled => "recalled",
    }
}

/// The verdict first, with the reasons that keep it from "authentic" in view — failures
/// first, never folded away; the checks that passed are one tap away so the product and its
/// history stay near the top of a phone screen.
#[function_component]
pub fn VerdictCard(props: &VerdictProps) -> Html {
    let lang = props.lang;
    let Some(outcome) = &props.check.outcome else {
        return html! {};
    };
    let verdict = &outcome.assessment.verdict;
    let class = state_class(verdict.state);
    let en = lang.is_en();
    let mut attention: Vec<&Check> = verdict
        .checks
        .iter()
        .filter(|check| check.status != Status::Passed)
        .collect();
    let rank = |check: &Check| match check.status {
        Status::Failed => 0,
        Status::Warning => 1,
        _ => 2,
    };
    tem_core::order::sort_by(&mut attention, |a, b| rank(a).cmp(&rank(b)));
    let passed: Vec<&Check> = verdict
        .checks
        .iter()
        .filter(|check| check.status == Status::Passed)
        .collect();
    html! {
        <section class={classes!("verdict", class)} data-testid="verdict" data-state={class}>
            <h2 tabindex="-1" elementtiming="verdict">{verdict.state.label().get(en).to_string()}</h2>
            <p>{verdict.summary().get(en).to_string()}</p>
            // How often this stamp has been checked is the evidence a shopper can act on
            // (a second check they did not make means a copy): shown even when it passed.
            if let Some(scans) = verdict
                .checks
                .iter()
                .find(|check| check.id == CheckId::ItemHistory && check.status == Status::Passed)
            {
                <p class="scan-line" data-testid="scan-line">{scans.detail.get(en).to_string()}</p>
            }
            <ul class="checks">{ for attention.into_iter().map(|check| check_item(lang, check)) }</ul>
            if !passed.is_empty() {
                <details>
                    <summary>{match passed.len() {
                        1 => Msg::OneCheckPassed.text(lang).to_string(),
                        count => Msg::ChecksPassed.fill(lang, &format_count(count, lang)),
                    }}</summary>
                    <ul class="checks">{ for passed.into_iter().map(|check| check_item(lang, check)) }</ul>
                </details>
            }
            {provenance(lang, verdict)}
        </section>
    }
}

/// Who signed, and how old the trust list is: always shown, since a list kept offline ages.
fn provenance(lang: Lang, verdict: &Verdict) -> Html {
    let en = lang.is_en();
    let issuer = verdict.issuer.as_ref().map(|issuer| {
        html! {
            <p class="small" data-testid="issuer">
                {Msg::SignedBy.text(lang)}<strong>{issuer.get(en).to_string()}</strong>
            </p>
        }
    });
    let list = match &verdict.trust_list {
        Some(info) => info.describe().get(en).to_string(),
        None => Msg::NoTrustList.text(lang).to_string(),
    };
    html! {
        <>
            {for issuer}
            <p class="small" data-testid="trust-list">{list}</p>
        </>
    }
}

fn check_item(lang: Lang, check: &Check) -> Html {
    // The state is said in words too: the glyph and colour are not read out, and not seen
    // by everyone.
    let (mark, status_class, status) = match check.status {
        Status::Passed => ("✓", "passed", Msg::Passed),
        Status::Warning => ("!", "warning", Msg::Note),
        Status::Failed => ("✗", "failed", Msg::Failed),
        Status::NotRun => ("–", "not-run", Msg::NotRun),
    };
    html! {
        <li class={status_class} data-check={format!("{:?}", check.id)}>
            <span class="mark" aria-hidden="true">{mark}</span>
            <div>
                <strong>{check.id.title().get(lang.is_en()).to_string()}
                    <span class="status">{status.text(lang)}</span></strong>
                <span>{check.detail.get(lang.is_en()).to_string()}</span>
            </div>
        </li>
    }
}
