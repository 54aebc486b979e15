//! Every text the widget itself shows, in Vietnamese and English, in one table. Components
//! name a message; they never hold wording. A text with `{}` takes one value (`Msg::fill`).

use tem_core::gs1;
use tem_core::payload::Element;
use tem_core::record::LocalText;

use super::Lang;

macro_rules! catalogue {
    ($($name:ident => $vi:literal, $en:literal;)*) => {
        /// A text of the widget's own, named by what it says.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum Msg { $($name,)* }

        /// One row per message, in the order of `Msg`: Vietnamese, then English.
        const TEXTS: &[[&str; 2]] = &[$([$vi, $en],)*];

        #[cfg(test)]
        const ALL: &[Msg] = &[$(Msg::$name,)*];
    };
}

catalogue! {
    PageTitle => "tem — Kiểm tra tem truy xuất nguồn gốc", "tem — Check a traceability stamp";
    Tagline => "Kiểm tra tem truy xuất nguồn gốc", "Check a traceability stamp";
    BackToStart => "Về trang đầu", "Back to start";
    // The switch names the other language in that language, as a speaker of it looks for it.
    OtherLanguage => "English", "Tiếng Việt";
    Footer => "tem — mã nguồn mở. Không theo dõi, không quảng cáo.", "tem — open source. No tracking, no ads.";

    Lead => "Quét mã QR trên tem để xem sản phẩm được sản xuất, chế biến và phân phối thế nào — và tem có đáng tin không.",
        "Scan the QR code on the stamp to see how the product was made, processed and distributed — and whether the stamp can be trusted.";
    ScanWithCamera => "Quét tem bằng camera", "Scan with the camera";
    Or => "hoặc", "or";
    TakePhoto => "Chụp ảnh tem", "Take a photo";
    ChoosePhoto => "Chọn ảnh có sẵn", "Choose a photo";
    ReadingPhoto => "Đang đọc ảnh…", "Reading the photo…";
    NoCodeInPhoto => "Không tìm thấy mã QR trong ảnh. Hãy chụp gần hơn, đủ sáng và không bị lóa.",
        "No QR code found in the photo. Try closer, in good light, without glare.";
    PhotoUnreadable => "Không mở được ảnh này.", "This image could not be opened.";
    TypeCode => "Hoặc nhập mã in dưới tem", "Or type the code printed under the stamp";
    CodeExample => "VD: 8936012345674", "e.g. 8936012345674";
    Check => "Kiểm tra", "Check";
    Province => "Tỉnh/thành nơi bạn mua (không bắt buộc): giúp phát hiện tem bị sao chép ở nơi khác",
        "Province where you shop (optional): helps spot stamps copied elsewhere";
    DontShare => "Không chia sẻ", "Don't share";
    Privacy => "Hình ảnh từ camera chỉ được xử lý trên máy của bạn, không gửi đi đâu. Mỗi lần kiểm tra tem có số sê-ri được đếm (chỉ thời điểm, và tỉnh nếu bạn chọn).",
        "Camera images are processed on your device only and never sent anywhere. Each check of a serialised stamp is counted (only the time, and the province if you chose one).";

    CameraAsking => "Vui lòng cho phép dùng camera để quét tem.", "Please allow the camera to scan the stamp.";
    CameraDenied => "Camera đã bị chặn. Bấm vào biểu tượng ổ khóa cạnh địa chỉ trang, chọn Quyền → Camera → Cho phép, rồi tải lại trang. Hoặc dùng ảnh chụp / nhập mã bên dưới.",
        "The camera is blocked. Tap the lock icon next to the address, choose Permissions → Camera → Allow, then reload. Or use a photo / type the code below.";
    NoCamera => "Không tìm thấy camera trên thiết bị này. Hãy chọn ảnh tem hoặc nhập mã.",
        "No camera found on this device. Choose a photo of the stamp or type the code.";
    CameraInsecure => "Trình duyệt chỉ cho dùng camera trên trang HTTPS. Hãy mở trang bằng https:// hoặc chọn ảnh tem.",
        "Browsers only allow the camera on HTTPS pages. Open this page over https:// or choose a photo.";
    CameraFailed => "Không mở được camera. Có thể ứng dụng khác đang dùng camera.",
        "Could not open the camera. Another app may be using it.";
    ScanHint => "Đưa mã QR trên tem vào khung. Giữ yên máy trong giây lát.",
        "Fit the stamp's QR code inside the frame and hold still.";
    Torch => "Đèn pin", "Torch";
    SwitchCamera => "Đổi camera", "Switch camera";
    Close => "Đóng", "Close";
    DecoderRestarting => "Bộ giải mã gặp lỗi, đang khởi động lại…", "The decoder failed; starting it again…";
    DecoderStopped => "Không quét được trên trình duyệt này. Hãy chọn ảnh tem hoặc nhập mã.",
        "Scanning does not work in this browser. Choose a photo of the stamp or type the code.";
    TechnicalDetails => "Chi tiết kỹ thuật", "Technical details";

    Loading => "Đang tải hồ sơ truy xuất…", "Loading the trace record…";
    Recalled => "ĐÃ THU HỒI", "RECALLED";
    Depth => "Độ đầy đủ của hồ sơ: ", "How complete the record is: ";
    Unverified => "Nội dung hồ sơ dưới đây chưa được xác minh chữ ký: đừng dựa vào nó.",
        "The record below is not verified by a signature: do not rely on it.";
    Journey => "Hành trình sản phẩm", "The product's journey";
    CheckAnother => "Kiểm tra tem khác", "Check another stamp";
    WholeJourney => "Xem toàn bộ hành trình sản phẩm", "See the product's whole journey";
    CachedRecord => "Không có mạng: hồ sơ dưới đây là bản lưu trên máy từ {}. Không kiểm tra được số lần quét và lệnh thu hồi mới.",
        "Offline: the record below is this device's copy from {}. Scans and new recalls could not be checked.";
    EmbedNotAStamp => "Mã trên trang này không phải tem truy xuất mà tem kiểm tra được.",
        "The code on this page is not a traceability stamp tem can check.";
    ProductCode => "Mã sản phẩm (GTIN)", "Product code (GTIN)";
    Lot => "Số lô", "Lot";
    Serial => "Số sê-ri", "Serial";
    Produced => "Ngày sản xuất", "Produced";
    BestBefore => "Hạn sử dụng", "Best before";
    Origin => "Xuất xứ", "Origin";
    NetContent => "Khối lượng / thể tích", "Net content";
    Standards => "Tiêu chuẩn, chứng nhận", "Standards";
    Producer => "Nhà sản xuất", "Producer";
    Address => "Địa chỉ", "Address";
    QrSays => "Thông tin trên mã QR", "What the QR code says";
    Domain => "Tên miền", "Domain";
    Gs1Data => "Dữ liệu GS1", "GS1 data";
    Impostor => "Tem này dẫn tới một trang giả danh. Đừng nhập thông tin hay mua hàng theo trang đó.",
        "This stamp leads to an impostor site. Do not enter details or buy through it.";
    CannotCheck => "Không kiểm tra được mã này", "This code cannot be checked";
    RawContent => "Nội dung mã (không được mở):", "The code's content (not opened):";
    TryAgain => "Thử lại", "Try again";
    OtherSystem => "Mã của hệ thống khác", "A code from another system";
    OtherSystemBody => "Mã này thuộc hệ thống {}. tem chưa kiểm tra được hồ sơ trên hệ thống đó, nên không thể xác thực sản phẩm. Trang đó không được tự động mở.",
        "This code belongs to {}. tem cannot check records on that system yet, so it cannot vouch for the product. That site is not opened for you.";

    OneCheckPassed => "1 kiểm tra đạt", "1 check passed";
    ChecksPassed => "{} kiểm tra đạt", "{} checks passed";
    Passed => "Đạt", "Passed";
    Note => "Lưu ý", "Note";
    Failed => "Không đạt", "Failed";
    NotRun => "Chưa kiểm tra được", "Could not check";
    SignedBy => "Đơn vị ký: ", "Signed by: ";
    NoTrustList => "Chưa có danh sách khóa tin cậy.", "No trust list is available.";

    NoHistory => "Hồ sơ không có thông tin về các công đoạn sản xuất, chế biến, phân phối.",
        "The record has no production, processing or distribution history.";
    Place => "Địa điểm: ", "Place: ";
    By => "Thực hiện: ", "By: ";
    MadeFrom => "Nguyên liệu: ", "Made from: ";
    SeeLot => "xem hồ sơ lô {}", "see the record of lot {}";

    NotFound => "Cổng truy xuất không có hồ sơ cho mã này.", "The portal has no record for this code.";
    Refused => "Cổng truy xuất báo lỗi (mã {}). Vui lòng thử lại sau.",
        "The portal answered with an error (status {}). Please try again later.";
    Offline => "Không kết nối được cổng truy xuất. Kiểm tra mạng rồi thử lại.",
        "Could not reach the portal. Check your connection and try again.";
    Timeout => "Cổng truy xuất phản hồi quá chậm.", "The portal took too long to answer.";
    TooLarge => "Dữ liệu nhận được quá lớn, đã bị từ chối.", "The data received was too large and was refused.";
    Malformed => "Dữ liệu nhận được không hợp lệ.", "The data received is not valid.";
    TrustListInvalid => "danh sách khóa từ cổng không hợp lệ", "the portal's trust list is not valid";
}

impl Msg {
    pub fn text(self, lang: Lang) -> &'static str {
        TEXTS[self as usize][lang as usize]
    }

    /// Both texts, for what tem-core carries into the verdict.
    pub fn both(self) -> LocalText {
        LocalText::both(self.text(Lang::Vi), self.text(Lang::En))
    }

    /// The text with `value` in place of its `{}`.
    pub fn fill(self, lang: Lang, value: &str) -> String {
        let text = self.text(lang);
        let Some(at) = text.find('{') else {
            return text.to_string();
        };
        let mut filled = String::with_capacity(text.len() + value.len());
        filled.push_str(&text[..at]);
        filled.push_str(value);
        filled.push_str(text.get(at + 2..).unwrap_or_default());
        filled
    }
}

/// English dates name the month; Vietnamese ones are all digits.
pub(super) const MONTHS_EN: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// What to call a GS1 element: in English the dictionary's title; in Vietnamese ours, else a
/// plain "GS1 data", so no English reaches the Vietnamese page.
pub fn element_title(element: &Element, lang: Lang) -> &'static str {
    match (lang, gs1::title_vi(&element.ai)) {
        (Lang::En, _) if !element.title().is_empty() => element.title(),
        (Lang::Vi, Some(title)) => title,
        _ => Msg::Gs1Data.text(lang),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_translated(name: &str, [vi, en]: [&str; 2]) {
        assert!(!vi.trim().is_empty(), "{name} has no Vietnamese text");
        assert!(!en.trim().is_empty(), "{name} has no English text");
        assert_ne!(vi, en, "{name}'s Vietnamese text is the English one");
        for text in [vi, en] {
            assert_eq!(
                text.matches('{').count(),
                text.matches("{}").count(),
                "{name}: {text}"
            );
            assert!(
                text.matches("{}").count() <= 1,
                "{name} takes one value at most"
            );
        }
        assert_eq!(
            vi.contains("{}"),
            en.contains("{}"),
            "{name} takes a value in one language only"
        );
    }

    #[test]
    fn every_message_is_written_in_both_languages() {
        assert_eq!(ALL.len(), TEXTS.len());
        for &msg in ALL {
            let name = format!("{msg:?}");
            assert_translated(&name, [msg.text(Lang::Vi), msg.text(Lang::En)]);
        }
    }

    #[test]
    fn a_value_takes_the_place_of_the_braces() {
        assert_eq!(Msg::SeeLot.fill(Lang::Vi, "CC2609"), "xem hồ sơ lô CC2609");
        assert_eq!(
            Msg::SeeLot.fill(Lang::En, "CC2609"),
            "see the record of lot CC2609"
        );
    }

    fn element(ai: &str, value: &str) -> Element {
        Element::new(ai, value).expect("a valid element")
    }

    #[test]
    fn gs1_elements_are_named_in_the_page_s_language() {
        let weight = element("3103", "001250");
        assert_eq!(element_title(&weight, Lang::Vi), "Khối lượng tịnh (kg)");
        assert_eq!(element_title(&weight, Lang::En), "NET WEIGHT (kg)");
        // An AI with no title of ours is still not named in English on the Vietnamese page.
        let price = element("8005", "000365");
        assert_eq!(element_title(&price, Lang::En), price.title());
        assert!(!price.title().is_empty());
        assert_eq!(element_title(&price, Lang::Vi), "Dữ liệu GS1");
    }
}
