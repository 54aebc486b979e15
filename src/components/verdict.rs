use tem_core::verdict::{Check, Status, Verdict, VerdictState};
use yew::prelude::*;

use crate::i18n::Lang;

#[derive(Properties, PartialEq)]
pub struct VerdictProps {
    pub lang: Lang,
    pub verdict: Verdict,
}

/// The verdict first, with the reasons that keep it from "authentic" in view; the checks that
/// passed are one tap away so the product and its history stay near the top of a phone screen.
#[function_component]
pub fn VerdictCard(props: &VerdictProps) -> Html {
    let (lang, verdict) = (props.lang, &props.verdict);
    let class = match verdict.state {
        VerdictState::Authentic => "ok",
        VerdictState::Caution => "caution",
        VerdictState::NotAuthentic => "bad",
    };
    let explanation = match verdict.state {
        VerdictState::Authentic => lang.t("Mọi kiểm tra đều đạt.", "Every check passed."),
        VerdictState::Caution => lang.t(
            "Mã hợp lệ chưa chứng minh hàng là thật: một số kiểm tra chưa thực hiện được hoặc cần bạn lưu ý.",
            "A valid code is not proof of genuine goods: some checks could not run or need your attention.",
        ),
        VerdictState::NotAuthentic => lang.t(
            "Có kiểm tra không đạt. Đừng mua hoặc dùng sản phẩm khi chưa hỏi người bán hoặc nhà sản xuất.",
            "A check failed. Do not buy or use the product before asking the seller or the producer.",
        ),
    };
    let (passed, attention): (Vec<&Check>, Vec<&Check>) = verdict
        .checks
        .iter()
        .partition(|check| check.status == Status::Passed);
    html! {
        <section class={classes!("verdict", class)} data-testid="verdict" data-state={class}>
            <h2>{verdict.state.label().get(lang.is_en())}</h2>
            <p>{explanation}</p>
            <ul class="checks">{ for attention.into_iter().map(|check| check_item(lang, check)) }</ul>
            if !passed.is_empty() {
                <details>
                    <summary>{match lang {
                        Lang::Vi => format!("{} kiểm tra đạt", passed.len()),
                        Lang::En => format!("{} checks passed", passed.len()),
                    }}</summary>
                    <ul class="checks">{ for passed.into_iter().map(|check| check_item(lang, check)) }</ul>
                </details>
            }
        </section>
    }
}

fn check_item(lang: Lang, check: &Check) -> Html {
    let (mark, status_class) = match check.status {
        Status::Passed => ("✓", "passed"),
        Status::Warning => ("!", "warning"),
        Status::Failed => ("✗", "failed"),
        Status::NotRun => ("–", "not-run"),
    };
    html! {
        <li class={status_class} data-check={format!("{:?}", check.id)}>
            <span class="mark" aria-hidden="true">{mark}</span>
            <div>
                <strong>{check.id.title().get(lang.is_en()).to_string()}</strong>
                <span>{check.detail.get(lang.is_en()).to_string()}</span>
            </div>
        </li>
    }
}
