//! OpenNOK methodology: the versioned definitions of the НОК methodology (shipped as data in
//! `methodology/`), the questionnaire, input validation and the scoring engine. Pure: no HTTP, no
//! database, no files except the definition text and CSV bytes handed to it.
//!
//! Architecture: [`definition`] (the data model and its loading) → [`questionnaire`] and
//! [`checklist`] (what is asked and checked) → [`engine`] with [`indicators`] and [`missing`] (the
//! computation) → [`input`] / [`output`] (the `nok score` contract) and [`sample`] (survey targets).

pub mod answers;
pub mod checklist;
pub mod definition;
pub mod engine;
pub mod indicators;
pub mod input;
pub mod missing;
pub mod output;
pub mod questionnaire;
pub mod sample;
pub mod sphere;

pub use answers::{
    AnswerCounts, AnswerMask, ParseQuestionIdError, QUESTION_COUNT, QuestionId, YesNo, counts_from_masks,
};
pub use checklist::{ChecklistCounts, ChecklistField, ChecklistItem, ChecklistMarks, ChecklistSection, Shortcoming};
pub use definition::{
    Criterion, Definition, DefinitionError, Formula, Indicator, LevelBand, Levels, Mark, SphereVariant, WaitingScale,
};
pub use engine::{IndicatorExplanation, ScoreInput, ScoreValues, Scores, score, score_values};
pub use input::{CsvStats, InputError};
pub use missing::{MissingDataPolicy, PolicyEffect};
pub use questionnaire::{AnswerError, Inconsistency, Question, normalize};
pub use sphere::{Sphere, UnknownSphere};
