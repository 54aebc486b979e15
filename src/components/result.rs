//! What a checked code turns into: the recall banner, the verdict, the product, the code's own
//! identifiers and the timeline. Everything from the record is rendered as text, never as HTML.

use std::rc::Rc;

use tem_core::depth::Level;
use tem_core::payload::{Payload, PayloadError, PayloadKind};
use tem_core::time::vietnam_time;
use tem_core::verdict::{CheckId, Status, VerdictState};
use yew::prelude::*;

use super::tech_details;
use super::timeline::Timeline;
use super::verdict::VerdictCard;
use crate::browser;
use crate::i18n::{Lang, Msg, element_title, format_date};
use crate::services::portal::{image_url, origin_of};
use crate::state::Check;

#[derive(Properties, PartialEq)]
pub struct CheckProps {
    pub lang: Lang,
    pub check: Rc<Check>,
    pub portal: AttrValue,
    pub on_again: Callback<()>,
    /// Opens another code in the widget: an input lot a processing step names.
    pub on_code: Callback<String>,
    /// Set in an embed: only the verdict and the product are shown, with this link to the
    /// whole story on the portal's own page.
    pub full_page: Option<AttrValue>,
}

#[function_component]
pub fn CheckView(props: &CheckProps) -> Html {
    let (lang, check) = (props.lang, &props.check);
    use_effect_with((check.seq, check.outcome.is_some()), |&(_, concluded)| {
        if concluded {
            browser::mark("tem:verdict");
            // In the same task as this view's first paint, so the page never shows two.
            browser::remove_first_view();
        }
    });
    let again = match &props.full_page {
        None => html! {
            <button class="primary again" onclick={props.on_again.reform(|_: MouseEvent| ())}>
                {Msg::CheckAnother.text(lang)}
            </button>
        },
        Some(href) => html! {
            <a class="button full-page" href={href.clone()} target="_blank" rel="noopener">
                {Msg::WholeJourney.text(lang)}
            </a>
        },
    };
    let compact = props.full_page.is_some();
    let Some(outcome) = &check.outcome else {
        return html! {
            <section class="loading" aria-busy="true">
                <div class="spinner" aria-hidden="true"></div>
                <p>{Msg::Loading.text(lang)}</p>
                if !compact {
                    <PayloadDetails lang={lang} payload={PayloadRef::Check(Rc::clone(check))} />
                }
            </section>
        };
    };
    let verdict = &outcome.assessment.verdict;
    // The record's own images and lots are on the resolver that served it.
    let portal: AttrValue = match &outcome.resolver {
        Some(resolver) => resolver.clone().into(),
        None => props.portal.clone(),
    };
    let record_shown = outcome.assessment.record.is_some();
    let unverified = verdict.status_of(CheckId::Signature) != Some(Status::Passed);
    html! {
        <section class="result">
            if let Some(recall) = &verdict.recall {
                <div class="recall" data-testid="recall">
                    <strong>{Msg::Recalled.text(lang)}</strong>
                    <p>{recall.reason.get(lang.is_en()).to_string()}</p>
                    <p class="small">{format!("{} · {}", format_date(&recall.date, lang), recall.authority)}</p>
                </div>
            }
            <VerdictCard lang={lang} check={Rc::clone(check)} />
            if let Some(depth) = &outcome.assessment.depth {
                <p class={classes!("depth", depth_class(depth.level))} data-testid="depth"
                    data-level={depth_class(depth.level)}>
                    <strong>{Msg::Depth.text(lang)}</strong>
                    {depth.summary().get(lang.is_en()).to_string()}
                </p>
            }
            if let Some(at) = outcome.record_cached_at {
                <p class="notice warn" data-testid="cached">{Msg::CachedRecord.fill(lang, &vietnam_time(at))}</p>
            }
            if record_shown {
                if unverified {
                    <p class="notice warn" data-testid="unverified">{Msg::Unverified.text(lang)}</p>
                }
                <ProductCard lang={lang} check={Rc::clone(check)} portal={portal.clone()} />
                if !compact {
                    <h3>{Msg::Journey.text(lang)}</h3>
                    <Timeline lang={lang} check={Rc::clone(check)} on_lot={open_lot(&portal, &props.on_code)} />
                }
            } else if let Some(error) = &outcome.record_error {
                <p class="notice warn" data-testid="record-error">{error.message(lang)}</p>
                {for error.detail().map(|detail| tech_details(lang, detail.to_string()))}
            }
            if !compact {
                <PayloadDetails lang={lang} payload={PayloadRef::Check(Rc::clone(check))} />
            }
            {again}
        </section>
    }
}

fn depth_class(level: Level) -> &'static str {
    match level {
        Level::Full => "full",
        Level::Partial => "partial",
        Level::LabelOnly => "label-only",
    }
}

/// An input lot's Digital Link path as a code for the widget to check, on the same portal.
fn open_lot(portal: &AttrValue, on_code: &Callback<String>) -> Callback<String> {
    let base = origin_of(portal);
    on_code.reform(move |path: String| format!("{base}{path}"))
}

#[derive(Properties, PartialEq)]
struct ProductProps {
    lang: Lang,
    /// A concluded check with a record.
    check: Rc<Check>,
    portal: AttrValue,
}

#[function_component]
fn ProductCard(props: &ProductProps) -> Html {
    let (lang, en) = (props.lang, props.lang.is_en());
    let Some(record) = props
        .check
        .outcome
        .as_ref()
        .and_then(|outcome| outcome.assessment.record.as_ref())
    else {
        return html! {};
    };
    let product = &record.product;
    let image = product
        .image
        .as_deref()
        .and_then(|image| image_url(&props.portal, image));
    let row = |label: Msg, value: Option<String>| -> Html {
        match value {
            Some(value) if !value.is_empty() => {
                html! { <><dt>{label.text(lang)}</dt><dd>{value}</dd></> }
            }
            _ => html! {},
        }
    };
    let date = |day: &Option<String>| day.as_deref().map(|day| format_date(day, lang));
    html! {
        <article class="product" data-testid="product">
            <div class="product-head">
                if let Some(src) = image {
                    <img src={src} alt="" width="96" height="96" />
                }
                <div>
                    <h2 data-testid="product-name">{product.name.get(en).to_string()}</h2>
                    if let Some(brand) = &product.brand {
                        <p class="brand-name">{brand.clone()}</p>
                    }
                </div>
            </div>
            if let Some(description) = &product.description {
                <p>{description.get(en).to_string()}</p>
            }
            <dl>
                {row(Msg::ProductCode, Some(product.gtin.clone()))}
                {row(Msg::Lot, Some(record.lot.lot.clone()))}
                {row(Msg::Serial, record.serial.clone())}
                {row(Msg::Produced, date(&record.lot.production_date))}
                {row(Msg::BestBefore, date(&record.lot.expiry_date))}
                {row(Msg::Origin, Some(product.origin.clone()))}
                {row(Msg::NetContent, product.net_content.clone())}
                {row(Msg::Standards, (!product.standards.is_empty()).then(|| product.standards.join(", ")))}
                {row(Msg::Producer, Some(record.producer.name.clone()))}
                {row(Msg::Address, record.producer.address.clone())}
            </dl>
        </article>
    }
}

#[derive(Clone)]
enum PayloadRef {
    Check(Rc<Check>),
    Bare(Rc<Payload>),
}

impl PayloadRef {
    fn get(&self) -> &Payload {
        match self {
            PayloadRef::Check(check) => &check.payload,
            PayloadRef::Bare(payload) => payload,
        }
    }
}

impl PartialEq for PayloadRef {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self.get(), other.get())
    }
}

#[derive(Properties, PartialEq)]
struct PayloadProps {
    lang: Lang,
    payload: PayloadRef,
}

/// What the stamp itself says, so a shopper can compare it with the printed label.
#[function_component]
fn PayloadDetails(props: &PayloadProps) -> Html {
    let (lang, payload) = (props.lang, props.payload.get());
    html! {
        <details class="identifiers" data-testid="identifiers">
            <summary>{Msg::QrSays.text(lang)}</summary>
            <dl>
                if let Some(host) = &payload.host {
                    <dt>{Msg::Domain.text(lang)}</dt><dd class="code">{host.clone()}</dd>
                }
                { for payload.elements.iter().map(|element| html! {
                    <><dt>{format!("{} ({})", element_title(element, lang), element.ai)}</dt><dd class="code">{element.value.clone()}</dd></>
                }) }
            </dl>
            { for payload.warnings.iter().map(|warning| html! {
                <p class="notice warn">{match lang { Lang::Vi => warning.message_vi(), Lang::En => warning.to_string() }}</p>
            }) }
        </details>
    }
}

#[derive(Properties)]
pub struct InvalidProps {
    pub lang: Lang,
    pub raw: Rc<str>,
    pub error: Rc<PayloadError>,
    pub on_again: Callback<()>,
}

// A code's error and payload are never changed once made, so identity is equality (and much
// cheaper than comparing them field by field).
impl PartialEq for InvalidProps {
    fn eq(&self, other: &Self) -> bool {
        self.lang == other.lang
            && Rc::ptr_eq(&self.error, &other.error)
            && self.on_again == other.on_again
    }
}

impl PartialEq for ElsewhereProps {
    fn eq(&self, other: &Self) -> bool {
        self.lang == other.lang
            && Rc::ptr_eq(&self.payload, &other.payload)
            && self.on_again == other.on_again
    }
}

/// Whether the code is a link made to pass for another (`trusted.vn@evil.example`, a
/// lookalike of a known domain): a forgery, said as a verdict.
pub fn is_spoofed(error: &PayloadError) -> bool {
    matches!(
        error,
        PayloadError::DisguisedHost { .. } | PayloadError::LookalikeHost { .. }
    )
}

pub fn error_message(error: &PayloadError, lang: Lang) -> String {
    match lang {
        Lang::Vi => error.message_vi(),
        Lang::En => error.to_string(),
    }
}

#[function_component]
pub fn InvalidView(props: &InvalidProps) -> Html {
    let lang = props.lang;
    let message = error_message(&props.error, lang);
    // The real domain is named at the top, with the verdict.
    html! {
        <section class="invalid" data-testid="invalid">
            if is_spoofed(&props.error) {
                <section class="verdict bad" data-testid="verdict" data-state="bad">
                    <h2 tabindex="-1" elementtiming="verdict">{VerdictState::NotAuthentic.label().get(lang.is_en()).to_string()}</h2>
                    <p class="domain-alert">{message}</p>
                    <p>{Msg::Impostor.text(lang)}</p>
                </section>
            } else {
                <h2 tabindex="-1">{Msg::CannotCheck.text(lang)}</h2>
                <p class="notice bad">{message}</p>
            }
            <p class="label">{Msg::RawContent.text(lang)}</p>
            <pre class="raw">{props.raw.to_string()}</pre>
            <button class="primary" onclick={props.on_again.reform(|_: MouseEvent| ())}>
                {Msg::TryAgain.text(lang)}
            </button>
        </section>
    }
}

#[derive(Properties)]
pub struct ElsewhereProps {
    pub lang: Lang,
    pub payload: Rc<Payload>,
    pub on_again: Callback<()>,
}

/// A code that belongs to another platform: named, with its domain, but never opened for the
/// shopper, who decides whether to trust that site.
#[function_component]
pub fn ElsewhereView(props: &ElsewhereProps) -> Html {
    let lang = props.lang;
    let host = props.payload.host.clone().unwrap_or_default();
    let system = match &props.payload.kind {
        PayloadKind::PlatformUrl { platform, .. } => format!("{} ({host})", platform.name()),
        _ => host,
    };
    html! {
        <section class="elsewhere" data-testid="elsewhere">
            <h2 tabindex="-1">{Msg::OtherSystem.text(lang)}</h2>
            <p>{Msg::OtherSystemBody.fill(lang, &system)}</p>
            <PayloadDetails lang={lang} payload={PayloadRef::Bare(Rc::clone(&props.payload))} />
            <button class="primary" onclick={props.on_again.reform(|_: MouseEvent| ())}>
                {Msg::CheckAnother.text(lang)}
            </button>
        </section>
    }
}
