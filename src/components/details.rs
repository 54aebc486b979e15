use yew::prelude::*;

use crate::i18n::{Lang, Msg};

/// A browser's or parser's own description of a failure: English and technical, so folded
/// away under the shopper's words, for whoever helps them.
pub fn tech_details(lang: Lang, text: String) -> Html {
    html! {
        <details class="tech" data-testid="tech-details">
            <summary>{Msg::TechnicalDetails.text(lang)}</summary>
            <code lang="en">{text}</code>
        </details>
    }
}
