//! The widget's state and its pure reducer: every change of screen goes through `State::apply`,
//! so the whole flow (code in → record looked up → verdict) is testable without a browser.

use std::rc::Rc;

use tem_core::payload::{self, Payload, PayloadError, PayloadKind};
use tem_core::record::LocalText;
use tem_core::verdict::{self, Assessment, Evidence, Fetched, Trust};

use crate::i18n::Lang;
use crate::lookup::{Answers, FetchError, Target, TrustHeld};

/// A code being checked or already checked. Each submitted code gets a new `seq`, which lets
/// late answers for an abandoned code be ignored.
#[derive(Debug)]
pub struct Check {
    pub seq: u32,
    pub payload: Payload,
    pub target: Target,
    pub outcome: Option<Outcome>,
}

// A check changes only by gaining its outcome, so its number and that fact identify it.
impl PartialEq for Check {
    fn eq(&self, other: &Self) -> bool {
        self.seq == other.seq && self.outcome.is_some() == other.outcome.is_some()
    }
}

#[derive(Debug)]
pub struct Outcome {
    pub assessment: Assessment,
    /// Why the record could not be had, when it could not.
    pub record_error: Option<FetchError>,
    /// When the record shown is this device's copy from an earlier check (unix seconds).
    pub record_cached_at: Option<i64>,
    /// The issuer's resolver the record came from, when not the widget's own portal: its
    /// images and linked lots are asked from there too.
    pub resolver: Option<String>,
}

#[derive(Debug, Clone)]
pub enum Phase {
    Home,
    Scanning,
    /// The text is not a code we can check; shown escaped, never opened.
    Invalid {
        raw: Rc<str>,
        error: Rc<PayloadError>,
    },
    /// A code we understand but cannot look up here (another platform's URL).
    Elsewhere {
        payload: Rc<Payload>,
    },
    Checking(Rc<Check>),
}

// Phases hold their data behind `Rc`s that are replaced, never mutated, so identity is equality.
impl PartialEq for Phase {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (Phase::Home, Phase::Home) | (Phase::Scanning, Phase::Scanning) => true,
            (Phase::Invalid { error: a, .. }, Phase::Invalid { error: b, .. }) => Rc::ptr_eq(a, b),
            (Phase::Elsewhere { payload: a }, Phase::Elsewhere { payload: b }) => Rc::ptr_eq(a, b),
            (Phase::Checking(a), Phase::Checking(b)) => Rc::ptr_eq(a, b),
            _ => false,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct State {
    pub lang: Lang,
    pub phase: Phase,
    seq: u32,
}

pub enum Action {
    SetLang(Lang),
    OpenScanner,
    CloseScanner,
    /// A code from the camera, a photo, the keyboard or a deep link.
    Submit(String),
    Loaded {
        seq: u32,
        answers: Box<Answers>,
    },
    Home,
}

impl State {
    pub fn new(lang: Lang) -> Self {
        State {
            lang,
            phase: Phase::Home,
            seq: 0,
        }
    }

    pub fn apply(mut self, action: Action) -> Self {
        match action {
            Action::SetLang(lang) => self.lang = lang,
            Action::OpenScanner => self.phase = Phase::Scanning,
            Action::CloseScanner | Action::Home => self.phase = Phase::Home,
            Action::Submit(raw) => {
                self.seq += 1;
                self.phase = submit(self.seq, raw.trim());
            }
            Action::Loaded { seq, answers } => {
                if let Phase::Checking(check) = &self.phase
                    && check.seq == seq
                    && check.outcome.is_none()
                {
                    let check = Rc::clone(check);
                    self.phase = Phase::Checking(Rc::new(conclude(&check, &answers)));
                }
            }
        }
        self
    }

    /// The lookup the portal should be asked for now, if any.
    pub fn pending_lookup(&self) -> Option<Rc<Check>> {
        match &self.phase {
            Phase::Checking(check) if check.outcome.is_none() => Some(Rc::clone(check)),
            _ => None,
        }
    }
}

fn submit(seq: u32, raw: &str) -> Phase {
    let payload = match payload::parse(raw) {
        Ok(payload) => payload,
        Err(error) => {
            return Phase::Invalid {
                raw: raw.into(),
                error: Rc::new(error),
            };
        }
    };
    let target = match payload.resolver_path() {
        Some(path) => Target::Resolver(path),
        None if matches!(payload.kind, PayloadKind::TraceCode) => {
            Target::Record(payload.raw.trim().to_string())
        }
        None => {
            return Phase::Elsewhere {
                payload: Rc::new(payload),
            };
        }
    };
    Phase::Checking(Rc::new(Check {
        seq,
        payload,
        target,
        outcome: None,
    }))
}

fn fetched<'a, T: ?Sized>(
    answer: Result<&'a T, &FetchError>,
    reasons: &'a [LocalText],
    index: usize,
) -> Fetched<'a, T> {
    match answer {
        Ok(value) => Fetched::Got(value),
        Err(FetchError::NotFound) => Fetched::NotFound,
        Err(_) => Fetched::Unavailable(&reasons[index]),
    }
}

fn reason<T>(answer: &Result<T, FetchError>) -> LocalText {
    answer
        .as_ref()
        .err()
        .map(FetchError::text)
        .unwrap_or_default()
}

/// The verdict on everything gathered for a code.
fn conclude(check: &Check, answers: &Answers) -> Check {
    // The shopper's words for each failure, held here so the evidence can borrow them.
    let reasons = [
        reason(&answers.record),
        answers.scans.as_ref().map(reason).unwrap_or_default(),
        reason(&answers.recalls),
    ];
    let trust = match &answers.trust {
        TrustHeld::List {
            list,
            fetched_at,
            cached,
        } => Trust::List {
            list,
            fetched_at: *fetched_at,
            cached: *cached,
        },
        TrustHeld::Expired { exp, fetched_at } => Trust::Expired {
            exp: *exp,
            fetched_at: *fetched_at,
        },
        TrustHeld::Unavailable(why) => Trust::Unavailable(why),
    };
    let evidence = Evidence {
        stamp: &check.payload,
        trust,
        record: fetched(answers.record.as_deref(), &reasons, 0),
        scans: answers
            .scans
            .as_ref()
            .map(|scans| fetched(scans.as_ref(), &reasons, 1)),
        recalls: fetched(answers.recalls.as_deref(), &reasons, 2),
        now: answers.now,
    };
    let assessment = verdict::evaluate(&evidence);
    Check {
        seq: check.seq,
        payload: check.payload.clone(),
        target: check.target.clone(),
        outcome: Some(Outcome {
            assessment,
            record_error: answers.record.as_ref().err().cloned(),
            record_cached_at: answers.record_cached_at,
            resolver: answers.resolver.clone(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tem_core::verdict::VerdictState;

    const NOW: i64 = 1_795_572_000;

    fn offline() -> Box<Answers> {
        Box::new(Answers {
            trust: TrustHeld::Unavailable(FetchError::Offline.text()),
            record: Err(FetchError::Offline),
            record_cached_at: None,
            resolver: None,
            scans: None,
            recalls: Err(FetchError::Offline),
            now: NOW,
        })
    }

    fn submitted(raw: &str) -> State {
        State::new(Lang::Vi).apply(Action::Submit(raw.to_string()))
    }

    #[test]
    fn a_digital_link_is_looked_up_through_the_resolver() {
        let state = submitted("  https://id.gs1.org/01/08936012345674/10/L2401A  ");
        let check = state.pending_lookup().expect("a lookup");
        assert_eq!(check.seq, 1);
        assert!(
            matches!(&check.target, Target::Resolver(path) if path.starts_with("/01/08936012345674/10/L2401A"))
        );
    }

    #[test]
    fn garbage_is_invalid_and_never_looked_up() {
        let state = submitted("<script>alert(1)</script>");
        assert!(matches!(state.phase, Phase::Invalid { .. }));
        assert!(state.pending_lookup().is_none());
    }

    #[test]
    fn an_unreachable_portal_gives_a_cautious_verdict() {
        let state =
            submitted("https://id.gs1.org/01/08936012345674/10/L2401A").apply(Action::Loaded {
                seq: 1,
                answers: offline(),
            });
        let Phase::Checking(check) = &state.phase else {
            panic!("still checking")
        };
        let outcome = check.outcome.as_ref().expect("an outcome");
        assert_eq!(outcome.assessment.verdict.state, VerdictState::Caution);
        assert!(state.pending_lookup().is_none());
    }

    #[test]
    fn a_late_answer_for_an_abandoned_code_is_ignored() {
        let state = submitted("https://id.gs1.org/01/08936012345674/10/L2401A")
            .apply(Action::Submit(
                "https://id.gs1.org/01/08936012345674/10/OTHER".into(),
            ))
            .apply(Action::Loaded {
                seq: 1,
                answers: offline(),
            });
        assert_eq!(state.pending_lookup().map(|check| check.seq), Some(2));
    }
}
