//! The depth check in words a shopper understands, Vietnamese first.

use super::{
    ConsumerField, Depth, EventRef, HistoryGap, Level, ONE_PLACE_SPAN_SECONDS, StageField, StageGap,
};
use crate::record::LocalText;
use crate::stage::Stage;

impl ConsumerField {
    pub fn name(self) -> LocalText {
        let (vi, en) = match self {
            ConsumerField::ProductName => ("tên sản phẩm", "product name"),
            ConsumerField::Image => ("hình ảnh", "image"),
            ConsumerField::ProducerNameAddress => (
                "tên và địa chỉ nhà sản xuất/kinh doanh",
                "producer or trader name and address",
            ),
            ConsumerField::Origin => ("xuất xứ", "origin"),
            ConsumerField::Brand => ("nhãn hiệu", "brand"),
            ConsumerField::BatchOrSerial => ("số lô hoặc số sê-ri", "batch or serial number"),
            ConsumerField::Expiry => ("hạn sử dụng", "expiry date"),
            ConsumerField::Standards => ("tiêu chuẩn áp dụng", "applied standards"),
        };
        LocalText::both(vi, en)
    }
}

impl StageField {
    pub fn name(self) -> LocalText {
        let (vi, en) = match self {
            StageField::ProductTraceCode => ("mã truy vết sản phẩm", "product trace code"),
            StageField::LocationGln => ("mã truy vết địa điểm (GLN)", "location trace code (GLN)"),
            StageField::StageName => ("tên công đoạn", "stage name"),
            StageField::EventTime => ("thời gian", "event time"),
        };
        LocalText::both(vi, en)
    }
}

impl Depth {
    /// One line for the shopper: the level, and for a partial record its biggest gap.
    pub fn summary(&self) -> LocalText {
        match self.level {
            Level::Full => LocalText::both(
                "Có lịch sử sản xuất, chế biến và phân phối đầy đủ",
                "Full production, processing and distribution history",
            ),
            Level::LabelOnly => LocalText::both(
                "Tem chỉ có thông tin nhãn, không có lịch sử sản xuất",
                "This stamp has only label information, no production history",
            ),
            Level::Partial => match self.biggest_gap() {
                Some(gap) => LocalText::both(
                    format!("Hồ sơ truy xuất chưa đầy đủ: {}", gap.vi),
                    format!("Incomplete trace record: {}", gap.get(true)),
                ),
                None => LocalText::both("Hồ sơ truy xuất chưa đầy đủ", "Incomplete trace record"),
            },
        }
    }

    /// Every gap found, one sentence each, biggest first (the order [`Depth::summary`] picks
    /// from).
    pub fn details(&self) -> Vec<LocalText> {
        let mut lines: Vec<LocalText> = self.history.iter().map(|gap| history(*gap)).collect();
        lines.extend(self.unreceived_shipments.iter().map(|event| {
            let n = number(event);
            LocalText::both(
                format!("Công đoạn {n} xuất hàng đi nhưng sau đó không có bước nhận hàng."),
                format!("Step {n} ships the goods but no later step receives them."),
            )
        }));
        lines.extend(self.out_of_order.iter().map(|found| {
            let (n, p) = (number(&found.event), number(&found.previous));
            LocalText::both(
                format!("Công đoạn {n} có thời gian sớm hơn công đoạn {p} ghi trước nó."),
                format!("Step {n} is dated before step {p}, listed before it."),
            )
        }));
        lines.extend(self.transformations_without_inputs.iter().map(|event| {
            let n = number(event);
            LocalText::both(
                format!("Công đoạn {n} (chế biến) không ghi nguyên liệu đầu vào."),
                format!("Step {n} (processing) names no inputs."),
            )
        }));
        lines.extend(self.stage_gaps.iter().map(stage_gap));
        lines.extend(self.consumer_fields.missing().iter().map(|field| {
            let name = field.name();
            LocalText::both(
                format!("Thiếu {}.", name.vi),
                format!("Missing {}.", name.get(true)),
            )
        }));
        lines
    }

    /// A short phrase for the gap that most undermines the history, None when there is none.
    fn biggest_gap(&self) -> Option<LocalText> {
        if self.history.contains(&HistoryGap::NoDistributionStage) {
            return Some(LocalText::both(
                "không có công đoạn phân phối",
                "no distribution step",
            ));
        }
        if !self.unreceived_shipments.is_empty() {
            return Some(LocalText::both(
                "có lô hàng xuất đi mà không có bước nhận hàng",
                "a shipment is never received",
            ));
        }
        if !self.out_of_order.is_empty() {
            return Some(LocalText::both(
                "thời gian các công đoạn không theo thứ tự",
                "steps are dated out of order",
            ));
        }
        if !self.transformations_without_inputs.is_empty() {
            return Some(LocalText::both(
                "công đoạn chế biến không ghi nguyên liệu đầu vào",
                "a processing step names no inputs",
            ));
        }
        if !self.stage_gaps.is_empty() {
            let mut missing: Vec<StageField> = self
                .stage_gaps
                .iter()
                .flat_map(|gap| gap.missing.iter().copied())
                .collect();
            crate::order::sort_by(&mut missing, StageField::cmp);
            missing.dedup();
            let names = listed(missing.into_iter().map(StageField::name));
            return Some(LocalText::both(
                format!("có công đoạn thiếu {}", names.vi),
                format!("some steps lack the {}", names.get(true)),
            ));
        }
        let missing = self.consumer_fields.missing();
        if missing.is_empty() {
            return None;
        }
        let names = listed(missing.iter().map(|field| field.name()));
        Some(LocalText::both(
            format!("thiếu {}", names.vi),
            format!("missing {}", names.get(true)),
        ))
    }
}

fn history(gap: HistoryGap) -> LocalText {
    let minutes = ONE_PLACE_SPAN_SECONDS / 60;
    match gap {
        HistoryGap::NoEvents => LocalText::both(
            "Hồ sơ không có công đoạn sản xuất, chế biến hay phân phối nào.",
            "The record lists no production, processing or distribution step.",
        ),
        HistoryGap::SingleEvent => LocalText::both(
            "Hồ sơ chỉ có một công đoạn.",
            "The record has only one step.",
        ),
        HistoryGap::NoProductionStage => LocalText::both(
            "Không có công đoạn nuôi trồng, thu hoạch hay chế biến nào.",
            "No growing, harvest or processing step.",
        ),
        HistoryGap::NoDistributionStage => LocalText::both(
            "Không có công đoạn phân phối (lưu kho, vận chuyển, bán lẻ).",
            "No distribution step (storage, transport or retail).",
        ),
        HistoryGap::OnePlaceWithinMinutes => LocalText::both(
            format!("Mọi công đoạn đều ghi ở cùng một nơi, trong vòng chưa đến {minutes} phút."),
            format!("Every step is recorded at one place, less than {minutes} minutes apart."),
        ),
    }
}

fn stage_gap(gap: &StageGap) -> LocalText {
    let n = number(&gap.event);
    let names = listed(gap.missing.iter().map(|field| field.name()));
    // "Other" says nothing the shopper could find the step by.
    let (step_vi, step_en) = match gap.stage {
        Stage::Other => (format!("Công đoạn {n}"), format!("Step {n}")),
        stage => (
            format!("Công đoạn {n} ({})", stage.label_vi()),
            format!("Step {n} ({})", stage.label_en()),
        ),
    };
    LocalText::both(
        format!("{step_vi} thiếu {}.", names.vi),
        format!("{step_en} lacks the {}.", names.get(true)),
    )
}

/// Steps are numbered from 1 for the shopper, as the timeline shows them.
fn number(event: &EventRef) -> usize {
    event.index + 1
}

/// Names joined with commas, in each language.
fn listed(names: impl Iterator<Item = LocalText>) -> LocalText {
    let (vi, en): (Vec<String>, Vec<String>) = names
        .map(|name| {
            let en = name.get(true).to_string();
            (name.vi, en)
        })
        .unzip();
    LocalText::both(vi.join(", "), en.join(", "))
}
