use std::rc::Rc;

use yew::prelude::*;

use crate::browser;
use crate::components::{
    CheckView, ElsewhereView, Entry, Header, InvalidView, Scanner, announcer, focus_heading_if_lost,
};
use crate::hooks::{Counting, use_lookup};
use crate::i18n::{Lang, Msg};
use crate::state::{Action, Phase, State};

impl Reducible for State {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        Rc::new((*self).clone().apply(action))
    }
}

#[derive(Properties, PartialEq)]
pub struct AppProps {
    /// Origin of the portal to ask; empty for the page's own origin.
    pub portal: AttrValue,
    pub lang: Lang,
    /// A code to check straight away (deep link, or a retailer's product page).
    pub code: Option<AttrValue>,
}

#[function_component]
pub fn App(props: &AppProps) -> Html {
    let state = use_reducer({
        let lang = props.lang;
        move || State::new(lang)
    });
    let lang = state.lang;

    let on_code = {
        let state = state.dispatcher();
        Callback::from(move |code: String| {
            browser::show_code_in_location(Some(code.trim()));
            state.dispatch(Action::Submit(code));
        })
    };
    {
        let (on_code, code) = (on_code.clone(), props.code.clone());
        use_effect_with((), move |_| {
            if let Some(code) = code {
                on_code.emit(code.to_string());
            }
        });
    }
    use_lookup(
        state.pending_lookup(),
        props.portal.clone(),
        Counting::Scan,
        state.dispatcher(),
    );
    let on_home = {
        let state = state.dispatcher();
        Callback::from(move |()| {
            browser::show_code_in_location(None);
            state.dispatch(Action::Home);
        })
    };
    let on_lang = {
        let state = state.dispatcher();
        Callback::from(move |lang: Lang| {
            browser::save_lang(lang);
            state.dispatch(Action::SetLang(lang));
        })
    };
    let on_scan = {
        let state = state.dispatcher();
        Callback::from(move |()| state.dispatch(Action::OpenScanner))
    };
    let on_close = {
        let state = state.dispatcher();
        Callback::from(move |()| state.dispatch(Action::CloseScanner))
    };

    // What the start screen or the scanner last said, for the live region.
    let note = use_state_eq(|| None::<Msg>);
    let on_note = {
        let note = note.clone();
        Callback::from(move |said: Option<Msg>| note.set(said))
    };

    let view = use_node_ref();
    {
        let view = view.clone();
        use_effect_with(state.phase.clone(), move |_| focus_heading_if_lost(&view));
    }

    let body = match &state.phase {
        Phase::Home => html! { <Entry {lang} {on_scan} on_code={on_code.clone()} {on_note} /> },
        Phase::Scanning => {
            html! { <Scanner {lang} on_code={on_code.clone()} {on_close} {on_note} /> }
        }
        Phase::Invalid { raw, error } => html! {
            <InvalidView {lang} raw={Rc::clone(raw)} error={Rc::clone(error)} on_again={on_home.clone()} />
        },
        Phase::Elsewhere { payload } => html! {
            <ElsewhereView {lang} payload={Rc::clone(payload)} on_again={on_home.clone()} />
        },
        Phase::Checking(check) => html! {
            <CheckView {lang} check={Rc::clone(check)} portal={props.portal.clone()} on_again={on_home.clone()} on_code={on_code.clone()} full_page={None::<AttrValue>} />
        },
    };
    html! {
        <div class="tem-app" lang={lang.code()}>
            <Header {lang} {on_lang} {on_home} />
            <main ref={view}>{body}</main>
            {announcer(lang, &state.phase, *note)}
            <footer>{Msg::Footer.text(lang)}</footer>
        </div>
    }
}
