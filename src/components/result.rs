//! What a checked code turns into: the recall banner, the verdict, the product, the code's own
//! identifiers and the timeline. Everything from the record is rendered as text, never as HTML.

use std::rc::Rc;

use tem_core::depth::Level;
use tem_core::payload::{Payload, PayloadError, PayloadKind};
use tem_core::time::{day_first, vietnam_time};
use tem_core::verdict::{CheckId, Status};
use yew::prelude::*;

use super::timeline::Timeline;
use super::verdict::VerdictCard;
use crate::browser;
use crate::i18n::Lang;
use crate::services::portal::image_url;
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
        }
    });
    let again = match &props.full_page {
        None => html! {
            <button class="primary again" onclick={props.on_again.reform(|_: MouseEvent| ())}>
                {lang.t("Kiểm tra tem khác", "Check another stamp")}
            </button>
        },
        Some(href) => html! {
            <a class="button full-page" href={href.clone()} target="_blank" rel="noopener">
                {lang.t("Xem toàn bộ hành trình sản phẩm", "See the product's whole journey")}
            </a>
        },
    };
    let compact = props.full_page.is_some();
    let Some(outcome) = &check.outcome else {
        return html! {
            <section class="loading" aria-busy="true">
                <div class="spinner" aria-hidden="true"></div>
                <p role="status">{lang.t("Đang tải hồ sơ truy xuất…", "Loading the trace record…")}</p>
                if !compact {
                    <PayloadDetails lang={lang} payload={PayloadRef::Check(Rc::clone(check))} />
                }
            </section>
        };
    };
    let verdict = &outcome.assessment.verdict;
    let record_shown = outcome.assessment.record.is_some();
    let unverified = verdict.status_of(CheckId::Signature) != Some(Status::Passed);
    html! {
        <section class="result">
            if let Some(recall) = &verdict.recall {
                <div class="recall" role="alert" data-testid="recall">
                    <strong>{lang.t("ĐÃ THU HỒI", "RECALLED")}</strong>
                    <p>{recall.reason.get(lang.is_en()).to_string()}</p>
                    <p class="small">{format!("{} · {}", day_first(&recall.date), recall.authority)}</p>
                </div>
            }
            <VerdictCard lang={lang} check={Rc::clone(check)} />
            if let Some(depth) = &outcome.assessment.depth {
                <p class={classes!("depth", depth_class(depth.level))} data-testid="depth"
                    data-level={depth_class(depth.level)}>
                    <strong>{lang.t("Độ đầy đủ của hồ sơ: ", "How complete the record is: ")}</strong>
                    {depth.summary().get(lang.is_en()).to_string()}
                </p>
            }
            if let Some(at) = outcome.record_cached_at {
                <p class="notice warn" data-testid="cached">{match lang {
                    Lang::Vi => format!("Không có mạng: hồ sơ dưới đây là bản lưu trên máy từ {}. Không kiểm tra được số lần quét và lệnh thu hồi mới.", vietnam_time(at)),
                    Lang::En => format!("Offline: the record below is this device's copy from {}. Scans and new recalls could not be checked.", vietnam_time(at)),
                }}</p>
            }
            if record_shown {
                if unverified {
                    <p class="notice warn" data-testid="unverified">{lang.t(
                        "Nội dung hồ sơ dưới đây chưa được xác minh chữ ký: đừng dựa vào nó.",
                        "The record below is not verified by a signature: do not rely on it.",
                    )}</p>
                }
                <ProductCard lang={lang} check={Rc::clone(check)} portal={props.portal.clone()} />
                if !compact {
                    <h3>{lang.t("Hành trình sản phẩm", "The product's journey")}</h3>
                    <Timeline lang={lang} check={Rc::clone(check)} on_lot={open_lot(&props.portal, &props.on_code)} />
                }
            } else if let Some(error) = &outcome.record_error {
                <p class="notice warn" role="alert">{error.message(lang)}</p>
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
    let base = match portal.as_str() {
        "" => browser::origin().unwrap_or_default(),
        portal => portal.trim_end_matches('/').to_string(),
    };
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
    let row = |label: &'static str, value: Option<String>| -> Html {
        match value {
            Some(value) if !value.is_empty() => html! { <><dt>{label}</dt><dd>{value}</dd></> },
            _ => html! {},
        }
    };
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
                {row(lang.t("Mã sản phẩm (GTIN)", "Product code (GTIN)"), Some(product.gtin.clone()))}
                {row(lang.t("Số lô", "Lot"), Some(record.lot.lot.clone()))}
                {row(lang.t("Số sê-ri", "Serial"), record.serial.clone())}
                {row(lang.t("Ngày sản xuất", "Produced"), record.lot.production_date.as_deref().map(day_first))}
                {row(lang.t("Hạn sử dụng", "Best before"), record.lot.expiry_date.as_deref().map(day_first))}
                {row(lang.t("Xuất xứ", "Origin"), Some(product.origin.clone()))}
                {row(lang.t("Khối lượng / thể tích", "Net content"), product.net_content.clone())}
                {row(lang.t("Tiêu chuẩn, chứng nhận", "Standards"), (!product.standards.is_empty()).then(|| product.standards.join(", ")))}
                {row(lang.t("Nhà sản xuất", "Producer"), Some(record.producer.name.clone()))}
                {row(lang.t("Địa chỉ", "Address"), record.producer.address.clone())}
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
            <summary>{lang.t("Thông tin trên mã QR", "What the QR code says")}</summary>
            <dl>
                if let Some(host) = &payload.host {
                    <dt>{lang.t("Tên miền", "Domain")}</dt><dd class="code">{host.clone()}</dd>
                }
                { for payload.elements.iter().map(|element| html! {
                    <><dt>{format!("{} ({})", element.title(), element.ai)}</dt><dd class="code">{element.value.clone()}</dd></>
                }) }
            </dl>
            { for payload.warnings.iter().map(|warning| html! {
                <p class="notice warn">{match lang { Lang::Vi => warning.message_vi(), Lang::En => warning.to_string() }}</p>
            }) }
        </details>
    }
}

#[derive(Properties, PartialEq)]
pub struct InvalidProps {
    pub lang: Lang,
    pub raw: Rc<str>,
    pub error: Rc<PayloadError>,
    pub on_again: Callback<()>,
}

#[function_component]
pub fn InvalidView(props: &InvalidProps) -> Html {
    let lang = props.lang;
    let message = match lang {
        Lang::Vi => props.error.message_vi(),
        Lang::En => props.error.to_string(),
    };
    // A link whose real host hides behind another (`trusted.vn@evil.example`, a lookalike of a
    // known domain) is a forgery, said as a verdict at the top, with the real domain shown.
    let spoofed = matches!(
        *props.error,
        PayloadError::DisguisedHost { .. } | PayloadError::LookalikeHost { .. }
    );
    html! {
        <section class="invalid" data-testid="invalid">
            if spoofed {
                <section class="verdict bad" data-testid="verdict" data-state="bad">
                    <h2>{lang.t("Không xác thực", "Not authentic")}</h2>
                    <p class="domain-alert" role="alert">{message.clone()}</p>
                    <p>{lang.t(
                        "Tem này dẫn tới một trang giả danh. Đừng nhập thông tin hay mua hàng theo trang đó.",
                        "This stamp leads to an impostor site. Do not enter details or buy through it.",
                    )}</p>
                </section>
            } else {
                <h2>{lang.t("Không kiểm tra được mã này", "This code cannot be checked")}</h2>
                <p class="notice bad" role="alert">{message}</p>
            }
            <p class="label">{lang.t("Nội dung mã (không được mở):", "The code's content (not opened):")}</p>
            <pre class="raw">{props.raw.to_string()}</pre>
            <button class="primary" onclick={props.on_again.reform(|_: MouseEvent| ())}>
                {lang.t("Thử lại", "Try again")}
            </button>
        </section>
    }
}

#[derive(Properties, PartialEq)]
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
            <h2>{lang.t("Mã của hệ thống khác", "A code from another system")}</h2>
            <p>{match lang {
                Lang::Vi => format!("Mã này thuộc hệ thống {system}. tem chưa kiểm tra được hồ sơ trên hệ thống đó, nên không thể xác thực sản phẩm. Trang đó không được tự động mở."),
                Lang::En => format!("This code belongs to {system}. tem cannot check records on that system yet, so it cannot vouch for the product. That site is not opened for you."),
            }}</p>
            <PayloadDetails lang={lang} payload={PayloadRef::Bare(Rc::clone(&props.payload))} />
            <button class="primary" onclick={props.on_again.reform(|_: MouseEvent| ())}>
                {lang.t("Kiểm tra tem khác", "Check another stamp")}
            </button>
        </section>
    }
}
