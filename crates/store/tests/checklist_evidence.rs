//! Evidence files of checklist items on SQLite and (with NOK_TEST_DATABASE_URL) PostgreSQL: accepted
//! types told by their first bytes, the size limit, the item and a recorded checklist required,
//! downloads only within the organisation's scope, removal by those who record, both audited.

mod common;

use nok_methodology::Sphere;
use nok_store::StoreError;
use nok_store::db::testing;
use nok_store::repo::checklist_evidence::{self, EvidenceRejection, NewFile};
use nok_store::repo::checklists::{self, ChecklistInput, ItemInput};
use sha2::{Digest, Sha256};

const YEAR: i32 = 2026;
const MAX: usize = 64;
const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";

fn forbidden<T>(r: Result<T, StoreError>, who: &str) {
    assert!(matches!(r, Err(StoreError::Forbidden)), "{who}: expected Forbidden");
}

#[tokio::test]
async fn files_are_checked_kept_within_scope_and_audited() {
    for backend in testing::backends() {
        let db = testing::fresh(backend).await;
        let w = common::world(&db).await;
        let org = w.org("76", Sphere::Health).clone(); // the operator's contract, the staff's own
        let file = |item_id: &'static str, bytes: &'static [u8]| NewFile { item_id, file_name: "фото.png", bytes };
        let item = "comfort.water";

        let early = checklist_evidence::upload(&db, &w.operator, org.id, YEAR, file(item, PNG), MAX).await.unwrap();
        assert_eq!(early, Err(EvidenceRejection::NotRecorded), "{backend}: nothing to attach to yet");
        let input = ChecklistInput {
            items: vec![ItemInput { item_id: item.into(), present: true, ..ItemInput::default() }],
            ..ChecklistInput::default()
        };
        checklists::save(&db, &w.operator, org.id, YEAR, &input).await.unwrap();

        // Accepted: PNG and PDF by their first bytes, whatever the name says.
        let png = checklist_evidence::upload(&db, &w.operator, org.id, YEAR, file(item, PNG), MAX).await.unwrap();
        let png = png.expect("a PNG is accepted");
        assert_eq!((png.content_type.as_str(), png.size), ("image/png", PNG.len() as i64), "{backend}");
        assert_eq!(png.sha256, hex::encode(Sha256::digest(PNG)));
        assert_eq!(png.file_name, "фото.png");
        let pdf = NewFile { item_id: item, file_name: "C:\\акты\\акт.jpg", bytes: b"%PDF-1.7\n1 0 obj" };
        let pdf = checklist_evidence::upload(&db, &w.authority, org.id, YEAR, pdf, MAX).await.unwrap().unwrap();
        assert_eq!((pdf.content_type.as_str(), pdf.file_name.as_str()), ("application/pdf", "акт.jpg"));

        // Refused: another type, too large, empty, an item not in the checklist.
        let refused = |r: Result<Result<checklist_evidence::EvidenceFile, EvidenceRejection>, StoreError>| {
            r.unwrap().expect_err("refused")
        };
        let gif = checklist_evidence::upload(&db, &w.operator, org.id, YEAR, file(item, b"GIF89a...."), MAX).await;
        assert_eq!(refused(gif), EvidenceRejection::Format, "{backend}");
        let svg = b"<svg xmlns=\"http://www.w3.org/2000/svg\"/>";
        let svg = checklist_evidence::upload(&db, &w.operator, org.id, YEAR, file(item, svg), MAX).await;
        assert_eq!(refused(svg), EvidenceRejection::Format);
        let big = checklist_evidence::upload(&db, &w.operator, org.id, YEAR, file(item, PNG), PNG.len() - 1).await;
        assert_eq!(refused(big), EvidenceRejection::TooLarge);
        let empty = checklist_evidence::upload(&db, &w.operator, org.id, YEAR, file(item, b""), MAX).await;
        assert_eq!(refused(empty), EvidenceRejection::Empty);
        let ghost = checklist_evidence::upload(&db, &w.operator, org.id, YEAR, file("no.such", PNG), MAX).await;
        assert_eq!(refused(ghost), EvidenceRejection::UnknownItem);
        assert_eq!(checklist_evidence::list(&db.read, &w.staff, org.id, YEAR).await.unwrap().len(), 2);

        // Read within the organisation's scope only; attached and removed by those who record.
        let d = checklist_evidence::download(&db.read, &w.staff, org.id, YEAR, png.id).await.unwrap();
        assert_eq!((d.data.as_slice(), d.file.content_type.as_str()), (PNG, "image/png"));
        checklist_evidence::download(&db.read, &w.council, org.id, YEAR, pdf.id).await.unwrap();
        forbidden(checklist_evidence::download(&db.read, &w.monitor_77, org.id, YEAR, png.id).await, "monitor 77");
        forbidden(checklist_evidence::list(&db.read, &w.monitor_77, org.id, YEAR).await, "monitor 77 list");
        let other = w.org("77", Sphere::Health).clone();
        forbidden(checklist_evidence::download(&db.read, &w.operator, other.id, YEAR, png.id).await, "operator");
        let wrong_year = checklist_evidence::download(&db.read, &w.admin, org.id, 2025, png.id).await;
        assert!(matches!(wrong_year, Err(StoreError::NotFound)), "a file is reached through its own checklist");
        let other_org = checklist_evidence::download(&db.read, &w.admin, other.id, YEAR, png.id).await;
        assert!(matches!(other_org, Err(StoreError::NotFound)));
        forbidden(checklist_evidence::upload(&db, &w.staff, org.id, YEAR, file(item, PNG), MAX).await, "staff");
        forbidden(checklist_evidence::upload(&db, &w.council, org.id, YEAR, file(item, PNG), MAX).await, "council");
        forbidden(checklist_evidence::delete(&db, &w.staff, org.id, YEAR, png.id).await, "staff");
        forbidden(checklist_evidence::delete(&db, &w.monitor_77, org.id, YEAR, png.id).await, "monitor");
        checklist_evidence::delete(&db, &w.authority, org.id, YEAR, png.id).await.unwrap();
        let left = checklist_evidence::list(&db.read, &w.operator, org.id, YEAR).await.unwrap();
        assert_eq!(left.iter().map(|f| f.id).collect::<Vec<_>>(), [pdf.id], "{backend}");

        // Re-recording the checklist keeps the files; both changes are in the checklist's history.
        checklists::save(&db, &w.operator, org.id, YEAR, &input).await.unwrap();
        assert_eq!(checklist_evidence::list(&db.read, &w.operator, org.id, YEAR).await.unwrap().len(), 1);
        let history = checklists::history(&db.read, &w.admin, org.id, YEAR).await.unwrap();
        let actions: Vec<(&str, &str)> = history.iter().map(|h| (h.action.as_str(), h.actor_login.as_str())).collect();
        assert_eq!(
            actions,
            [
                ("checklist.save", "op"),
                ("checklist.evidence.delete", "auth76"),
                ("checklist.evidence.upload", "auth76"),
                ("checklist.evidence.upload", "op"),
                ("checklist.save", "op"),
            ],
            "{backend}"
        );
        let deleted = history[1].before.as_ref().unwrap();
        assert_eq!(deleted["sha256"], png.sha256.as_str());
        assert_eq!(deleted["item"], item);
    }
}
