//! The API's objects, decoded leniently: unknown fields are kept aside (so
//! `--json` can re-encode what the API sent), unknown enum values are kept
//! as they came, and any documented-nullable field may be null or missing.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};

/// Declares an enum of known string values with a catch-all that keeps
/// the raw string, so a value the API adds tomorrow is shown, not fatal.
macro_rules! open_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub enum $name {
            $($(#[$vmeta])* $variant,)+
            /// A value this version of `uj` does not know, kept verbatim.
            Other(String),
        }

        impl $name {
            /// The values this version knows, in the API's order.
            pub const KNOWN: &'static [Self] = &[$(Self::$variant),+];
            /// Their wire values, for command-line choices.
            pub const NAMES: &'static [&'static str] = &[$($text),+];

            /// The wire value.
            pub fn as_str(&self) -> &str {
                match self {
                    $(Self::$variant => $text,)+
                    Self::Other(s) => s,
                }
            }
        }

        impl From<String> for $name {
            fn from(s: String) -> Self {
                match s.as_str() {
                    $($text => Self::$variant,)+
                    _ => Self::Other(s),
                }
            }
        }

        impl From<&str> for $name {
            fn from(s: &str) -> Self {
                Self::from(s.to_string())
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                String::deserialize(d).map(Self::from)
            }
        }
    };
}

open_enum!(
    /// Where an interview is in its life.
    Status {
        /// The respondent finished and the analysis is done.
        Completed = "completed",
        /// The respondent opened the link; the call may still be going.
        Started = "started",
        /// The call ended; summaries and scores are being computed.
        Processing = "processing",
    }
);

open_enum!(
    /// The AI's judgement of how useful an interview is.
    Quality {
        /// Rich, specific answers.
        Insightful = "insightful",
        /// Usable answers.
        Successful = "successful",
        /// Too thin to use.
        Unsuccessful = "unsuccessful",
    }
);

open_enum!(
    /// Who said a transcript message.
    Role {
        /// The AI interviewer.
        Agent = "agent",
        /// The respondent.
        User = "user",
    }
);

/// Treats `null` as the type's default (an empty list, mostly).
fn null_as_default<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Default + Deserialize<'de>,
{
    Ok(Option::<T>::deserialize(d)?.unwrap_or_default())
}

/// One page of any list endpoint.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(bound(deserialize = "T: Deserialize<'de>"))]
pub struct Page<T> {
    #[serde(default, deserialize_with = "null_as_default")]
    pub data: Vec<T>,
    #[serde(default, deserialize_with = "null_as_default")]
    pub has_more: bool,
}

/// Anything a cursor can point at.
pub trait HasId {
    fn id(&self) -> &str;
}

/// A study as `GET /studies` lists it.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Study {
    pub id: String,
    #[serde(default)]
    pub object: Option<String>,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default)]
    pub interview_link: Option<String>,
    #[serde(default)]
    pub accepting_responses: Option<bool>,
    #[serde(default, deserialize_with = "null_as_default")]
    pub supported_languages: Vec<String>,
    #[serde(default)]
    pub limits: Option<Value>,
    #[serde(default)]
    pub created_at: Option<String>,
    /// Fields this version does not know, kept for `--json`.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// One question of a study.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Question {
    #[serde(default)]
    pub text: Option<String>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A study as `GET /studies/:id` returns it.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct StudyDetail {
    pub id: String,
    #[serde(default)]
    pub object: Option<String>,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default)]
    pub interview_link: Option<String>,
    #[serde(default)]
    pub accepting_responses: Option<bool>,
    #[serde(default, deserialize_with = "null_as_default")]
    pub supported_languages: Vec<String>,
    #[serde(default)]
    pub limits: Option<Value>,
    #[serde(default)]
    pub created_at: Option<String>,
    #[serde(default)]
    pub research_goal: Option<String>,
    #[serde(default)]
    pub product_name: Option<String>,
    #[serde(default, deserialize_with = "null_as_default")]
    pub questions: Vec<Question>,
    /// Not shown in the vendor's docs by name; absent means unknown.
    #[serde(default)]
    pub interview_count: Option<u64>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl StudyDetail {
    /// The list-item view of this study (what `GET /studies` would return).
    pub fn summary(&self) -> Study {
        Study {
            id: self.id.clone(),
            object: self.object.clone(),
            name: self.name.clone(),
            status: self.status.clone(),
            interview_link: self.interview_link.clone(),
            accepting_responses: self.accepting_responses,
            supported_languages: self.supported_languages.clone(),
            limits: self.limits.clone(),
            created_at: self.created_at.clone(),
            extra: Map::new(),
        }
    }
}

/// An interview as the list endpoint returns it (no transcript).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Interview {
    pub id: String,
    #[serde(default)]
    pub object: Option<String>,
    #[serde(default)]
    pub study_id: Option<String>,
    #[serde(default)]
    pub status: Option<Status>,
    #[serde(default)]
    pub reference_id: Option<String>,
    #[serde(default)]
    pub respondent_email: Option<String>,
    #[serde(default)]
    pub language: Option<String>,
    #[serde(default)]
    pub quality_score: Option<Quality>,
    /// Documented as an integer; a fraction is accepted too.
    #[serde(default)]
    pub duration_secs: Option<f64>,
    #[serde(default)]
    pub headline: Option<String>,
    #[serde(default)]
    pub summary: Option<String>,
    #[serde(default)]
    pub started_at: Option<String>,
    #[serde(default)]
    pub completed_at: Option<String>,
    #[serde(default)]
    pub created_at: Option<String>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// An interview with its transcript and answers (`GET /interviews/:id`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct InterviewDetail {
    #[serde(flatten)]
    pub interview: Interview,
    #[serde(default, deserialize_with = "null_as_default")]
    pub transcript: Vec<Message>,
    #[serde(default, deserialize_with = "null_as_default")]
    pub question_answers: Vec<QuestionAnswer>,
}

/// One message of a transcript.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Message {
    #[serde(default)]
    pub role: Option<Role>,
    #[serde(default)]
    pub message: Option<String>,
    /// English text; only for non-English interviews.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub translated: Option<String>,
    #[serde(default)]
    pub time_in_call_secs: Option<f64>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The structured answer to one study question.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct QuestionAnswer {
    #[serde(default)]
    pub question_index: Option<i64>,
    #[serde(default)]
    pub question_text: Option<String>,
    #[serde(default)]
    pub answer_summary: Option<String>,
    #[serde(default, deserialize_with = "null_as_default")]
    pub answer_excerpt: Vec<Excerpt>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl QuestionAnswer {
    /// The question's number (1-based), from its index or else its place
    /// (`position`, 0-based) in the interview's answers.
    pub fn number(&self, position: usize) -> i64 {
        self.question_index
            .map_or(position as i64 + 1, |q| q.saturating_add(1))
    }

    /// The answer's summary, when there is one that is not blank.
    pub fn summary(&self) -> Option<&str> {
        self.answer_summary
            .as_deref()
            .filter(|s| !s.trim().is_empty())
    }
}

/// A message quoted as evidence for an answer.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Excerpt {
    #[serde(default)]
    pub role: Option<Role>,
    #[serde(default)]
    pub message: Option<String>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl InterviewDetail {
    /// The transcript message an answer excerpt quotes: the same text
    /// (ignoring surrounding space) in the original or the translation, or
    /// an original that contains a quote of 12 characters or more.
    pub fn quoted_message(&self, quote: &str) -> Option<usize> {
        let quote = quote.trim();
        let same = |t: Option<&str>| t.is_some_and(|t| t.trim() == quote);
        self.transcript
            .iter()
            .position(|m| same(m.message.as_deref()) || same(m.translated.as_deref()))
            .or_else(|| {
                (quote.chars().count() >= 12).then(|| {
                    self.transcript
                        .iter()
                        .position(|m| m.message.as_deref().is_some_and(|t| t.contains(quote)))
                })?
            })
    }
}

impl HasId for Study {
    fn id(&self) -> &str {
        &self.id
    }
}

impl HasId for Interview {
    fn id(&self) -> &str {
        &self.id
    }
}

impl HasId for InterviewDetail {
    fn id(&self) -> &str {
        &self.interview.id
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn vendor_example_decodes() {
        let json = r#"{
          "id": "a1", "object": "interview", "study_id": "s", "status": "completed",
          "reference_id": "user_12345", "respondent_email": null, "language": "es",
          "quality_score": "insightful", "duration_secs": 580,
          "headline": "h", "summary": "s", "started_at": "2026-03-11T14:20:00.000Z",
          "completed_at": "2026-03-11T14:30:00.456Z", "created_at": "2026-03-11T14:20:00.000Z",
          "transcript": [{"role": "agent", "message": "Hola", "translated": "Hello", "time_in_call_secs": 0},
                         {"role": "user", "message": "Bien", "time_in_call_secs": 4.5}],
          "question_answers": [{"question_index": 0, "question_text": "Q?", "answer_summary": null,
                                "answer_excerpt": [{"role": "user", "message": "Bien"}]}]
        }"#;
        let d: InterviewDetail = serde_json::from_str(json).expect("decodes");
        assert_eq!(d.interview.status, Some(Status::Completed));
        assert_eq!(d.interview.quality_score, Some(Quality::Insightful));
        assert_eq!(d.interview.duration_secs, Some(580.0));
        assert_eq!(d.transcript[1].time_in_call_secs, Some(4.5));
        assert_eq!(
            d.question_answers[0].answer_excerpt[0].role,
            Some(Role::User)
        );
        assert!(d.interview.extra.is_empty(), "{:?}", d.interview.extra);
    }

    #[test]
    fn unknown_values_and_fields_are_kept() {
        let json = r#"{"id":"x","status":"archived","quality_score":"stellar","sentiment":0.4,
                       "transcript":[{"role":"moderator","message":"hi","tone":"warm"}]}"#;
        let d: InterviewDetail = serde_json::from_str(json).expect("decodes");
        assert_eq!(d.interview.status, Some(Status::Other("archived".into())));
        assert_eq!(
            d.interview.quality_score,
            Some(Quality::Other("stellar".into()))
        );
        assert_eq!(d.transcript[0].role, Some(Role::Other("moderator".into())));
        let back = serde_json::to_value(&d).expect("encodes");
        assert_eq!(back["sentiment"], 0.4);
        assert_eq!(back["status"], "archived");
        assert_eq!(back["transcript"][0]["tone"], "warm");
    }

    #[test]
    fn nulls_and_missing_fields_everywhere() {
        let json = r#"{"id":"x","status":null,"quality_score":null,"duration_secs":null,
                       "transcript":null,"question_answers":[{"answer_excerpt":null}]}"#;
        let d: InterviewDetail = serde_json::from_str(json).expect("decodes");
        assert!(d.transcript.is_empty());
        assert!(d.question_answers[0].answer_excerpt.is_empty());
        let p: Page<Interview> = serde_json::from_str(r#"{"data":null}"#).expect("decodes");
        assert!(p.data.is_empty() && !p.has_more);
        let s: StudyDetail =
            serde_json::from_str(r#"{"id":"s","questions":null}"#).expect("decodes");
        assert_eq!(s.interview_count, None);
    }

    #[test]
    fn wrong_shapes_are_errors_not_panics() {
        assert!(serde_json::from_str::<Page<Interview>>("<html>502</html>").is_err());
        assert!(serde_json::from_str::<Page<Interview>>("").is_err());
        assert!(serde_json::from_str::<Page<Interview>>(r#"{"data":[{"no_id":1}]}"#).is_err());
        assert!(serde_json::from_str::<InterviewDetail>(r#"{"id":"x","transcript":"#).is_err());
    }

    proptest! {
        #[test]
        fn decoding_any_bytes_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
            let _ = serde_json::from_slice::<Page<Interview>>(&bytes);
            let _ = serde_json::from_slice::<InterviewDetail>(&bytes);
            let _ = serde_json::from_slice::<StudyDetail>(&bytes);
            let _ = serde_json::from_slice::<Page<Study>>(&bytes);
        }

        #[test]
        fn decoding_json_like_text_never_panics(s in r#"[\{\}\[\]":,0-9a-z_ .null-]{0,200}"#) {
            let _ = serde_json::from_str::<InterviewDetail>(&s);
            let _ = serde_json::from_str::<Page<Interview>>(&s);
        }
    }
}
