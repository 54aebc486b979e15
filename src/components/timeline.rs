use std::rc::Rc;

use yew::prelude::*;

use crate::i18n::{Lang, format_time};
use crate::state::Check;

#[derive(Properties, PartialEq)]
pub struct TimelineProps {
    pub lang: Lang,
    /// A concluded check with a record.
    pub check: Rc<Check>,
}

#[function_component]
pub fn Timeline(props: &TimelineProps) -> Html {
    let (lang, en) = (props.lang, props.lang.is_en());
    let events = props
        .check
        .outcome
        .as_ref()
        .and_then(|outcome| outcome.assessment.record.as_ref())
        .map_or(&[][..], |record| &record.events[..]);
    if events.is_empty() {
        return html! {
            <p class="notice warn">{lang.t(
                "Hồ sơ không có thông tin về các công đoạn sản xuất, chế biến, phân phối.",
                "The record has no production, processing or distribution history.",
            )}</p>
        };
    }
    html! {
        <ol class="timeline" data-testid="timeline">
            { for events.iter().map(|event| {
                let stage = if en { event.stage.label_en() } else { event.stage.label_vi() };
                html! {
                    <li class={classes!("stage", event.stage.as_str())} data-stage={event.stage.as_str()}>
                        <div class="when">
                            <span class="stage-name">{stage}</span>
                            <time datetime={event.time.clone()}>{format_time(&event.time)}</time>
                        </div>
                        <p class="what">{event.summary.get(en).to_string()}</p>
                        if let Some(place) = &event.place {
                            <p class="where">
                                <span class="label">{lang.t("Địa điểm: ", "Place: ")}</span>
                                {place.name.clone()}
                                if let Some(address) = &place.address {
                                    {format!(", {address}")}
                                }
                                if let Some(gln) = &place.gln {
                                    <span class="code">{format!(" GLN {gln}")}</span>
                                }
                            </p>
                        }
                        if let Some(actor) = &event.actor {
                            <p class="who">
                                <span class="label">{lang.t("Thực hiện: ", "By: ")}</span>
                                {actor.name.clone()}
                            </p>
                        }
                    </li>
                }
            }) }
        </ol>
    }
}
