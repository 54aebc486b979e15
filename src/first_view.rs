//! A deep link's first view, rendered by the portal into the page it sends: the verdict and
//! the product are on screen as soon as the HTML is, not after the wasm has come over slow
//! mobile data. The same reducer and components as the widget's make it, from what the
//! portal holds for the code, judged against the roots built into the widget; the widget
//! then checks the code on the device, as it would without this view, and its view replaces
//! this one. A portal that serves the widget is already trusted with the code that judges,
//! so the first view is no weaker a check than the one that follows it.

use std::rc::Rc;

use tem_core::record::RecallNotice;
use tem_core::scan::ScanHistory;
use yew::prelude::*;

use crate::components::{CheckView, Header, announcer};
use crate::i18n::{Lang, Msg};
use crate::lookup::{Answers, TrustHeld};
use crate::services::trust;
use crate::state::{Action, Check, Phase, State};

/// What the portal holds for a code of its own, as the widget would have fetched it. The
/// check itself is counted by the widget, not by the page (a link preview's fetch is not a
/// shopper's check).
pub struct Evidence {
    /// The portal's base URL: a stamp the trust list sends to another resolver gets no
    /// first view from this one.
    pub portal: String,
    /// The portal's trust list as it serves it: a compact JWS.
    pub trust_list: String,
    /// The signed record as the resolver serves it: a compact JWS.
    pub record: String,
    /// As the widget's count of this check will leave it; None when the stamp has no serial.
    pub scans: Option<ScanHistory>,
    pub recalls: Vec<RecallNotice>,
    /// Unix seconds.
    pub now: i64,
}

/// The first view of `code` for a browser asking in `accept_language`, as HTML to put inside
/// the widget's root; None when the code is not one the widget would look up, or one the
/// trust list sends to another resolver.
pub async fn render(code: String, accept_language: String, evidence: Evidence) -> Option<String> {
    let lang = Lang::pick(None, None, languages(&accept_language));
    // The check is made where it is rendered, on the renderer's own thread: it is not Send.
    let view = yew::ServerRenderer::<FirstView>::with_props(move || FirstViewProps {
        lang,
        // Named, not left empty as in the page: the widget's "this page's origin" has no
        // page to ask here.
        portal: evidence.portal.clone().into(),
        check: concluded(lang, code, evidence),
    });
    // Without a concluded check the view renders nothing.
    let html = view.hydratable(false).render().await;
    (!html.is_empty()).then_some(html)
}

/// `code`'s check, concluded by the widget's reducer from the portal's evidence.
fn concluded(lang: Lang, code: String, evidence: Evidence) -> Option<Rc<Check>> {
    let state = State::new(lang).apply(Action::Submit(code));
    let pending = state.pending_lookup()?;
    let (seq, host) = (pending.seq, pending.payload.host.clone());
    let trust = match trust::judged(&evidence.trust_list, evidence.now) {
        Ok(list)
            if list
                .resolver_for(host.as_deref(), evidence.now)
                .is_some_and(|resolver| resolver != evidence.portal.trim_end_matches('/')) =>
        {
            return None;
        }
        Ok(list) => TrustHeld::List {
            list,
            fetched_at: evidence.now,
            cached: false,
        },
        Err(_) => TrustHeld::Unavailable(Msg::TrustListInvalid.both()),
    };
    let answers = Answers {
        trust,
        record: Ok(evidence.record),
        record_cached_at: None,
        resolver: None,
        scans: evidence.scans.map(Ok),
        recalls: Ok(evidence.recalls),
        now: evidence.now,
    };
    let concluded = state.apply(Action::Loaded {
        seq,
        answers: Box::new(answers),
    });
    match concluded.phase {
        Phase::Checking(check) => Some(check),
        _ => None,
    }
}

/// The languages of an `Accept-Language` header, most wanted first (weights are taken in the
/// order given, as browsers send them).
fn languages(header: &str) -> impl Iterator<Item = &str> {
    header
        .split(',')
        .map(|item| item.split(';').next().unwrap_or("").trim())
}

#[derive(Properties, PartialEq)]
struct FirstViewProps {
    lang: Lang,
    portal: AttrValue,
    check: Option<Rc<Check>>,
}

/// The widget's page as it looks with this check's outcome; its buttons are hidden until the
/// widget, which makes them work, takes over.
#[function_component]
fn FirstView(props: &FirstViewProps) -> Html {
    let lang = props.lang;
    let Some(check) = &props.check else {
        return html! {};
    };
    html! {
        <div class="tem-app first-view" lang={lang.code()}>
            <Header {lang} on_lang={Callback::noop()} on_home={Callback::noop()} />
            <main>
                <CheckView {lang} check={Rc::clone(check)} portal={props.portal.clone()}
                    on_again={Callback::noop()} on_code={Callback::noop()} full_page={None::<AttrValue>} />
            </main>
            // The page's one live region, as the widget's: holding the verdict from the start,
            // so the page is the same to a screen reader before the widget takes over as after.
            {announcer(lang, &Phase::Checking(Rc::clone(check)), None)}
            <footer>{Msg::Footer.text(lang)}</footer>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_language_is_read_in_the_order_sent() {
        let picked: Vec<&str> = languages("en-GB,en;q=0.9, vi;q=0.8").collect();
        assert_eq!(picked, ["en-GB", "en", "vi"]);
        assert_eq!(Lang::pick(None, None, languages("fr, en;q=0.5")), Lang::En);
        assert_eq!(Lang::pick(None, None, languages("")), Lang::Vi);
    }
}
