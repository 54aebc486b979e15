use std::rc::Rc;

use yew::prelude::*;

use crate::i18n::{Lang, Msg, format_time};
use crate::state::Check;

#[derive(Properties, PartialEq)]
pub struct TimelineProps {
    pub lang: Lang,
    /// A concluded check with a record.
    pub check: Rc<Check>,
    /// Opens an input lot, given its Digital Link path.
    pub on_lot: Callback<String>,
}

#[function_component]
pub fn Timeline(props: &TimelineProps) -> Html {
    let (lang, en) = (props.lang, props.lang.is_en());
    let assessment = props
        .check
        .outcome
        .as_ref()
        .map(|outcome| &outcome.assessment);
    let events = assessment
        .and_then(|assessment| assessment.record.as_ref())
        .map_or(&[][..], |record| &record.events[..]);
    let input_lots = assessment
        .and_then(|assessment| assessment.depth.as_ref())
        .map_or(&[][..], |depth| &depth.input_lots[..]);
    if events.is_empty() {
        return html! {
            <p class="notice warn">{Msg::NoHistory.text(lang)}</p>
        };
    }
    html! {
        <ol class="timeline" data-testid="timeline">
            { for events.iter().enumerate().map(|(index, event)| {
                let inputs: Vec<_> = input_lots.iter().filter(|lot| lot.event.index == index).collect();
                let stage = if en { event.stage.label_en() } else { event.stage.label_vi() };
                html! {
                    <li class={classes!("stage", event.stage.as_str())} data-stage={event.stage.as_str()}>
                        <div class="when">
                            <span class="stage-name">{stage}</span>
                            <time datetime={event.time.clone()}>{format_time(&event.time, lang)}</time>
                        </div>
                        <p class="what">{event.summary.get(en).to_string()}</p>
                        if let Some(place) = &event.place {
                            <p class="where">
                                <span class="label">{Msg::Place.text(lang)}</span>
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
                                <span class="label">{Msg::By.text(lang)}</span>
                                {actor.name.clone()}
                            </p>
                        }
                        if !inputs.is_empty() {
                            <p class="inputs">
                                <span class="label">{Msg::MadeFrom.text(lang)}</span>
                                { for inputs.into_iter().map(|lot| {
                                    let path = lot.path();
                                    let open = props.on_lot.reform(move |_: MouseEvent| path.clone());
                                    html! {
                                        <button class="link" data-testid="input-lot" onclick={open}>
                                            {Msg::SeeLot.fill(lang, &lot.lot)}
                                        </button>
                                    }
                                }) }
                            </p>
                        }
                    </li>
                }
            }) }
        </ol>
    }
}
