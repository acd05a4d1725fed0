//! The boundary fixtures in `tests/fixtures/`, written by Python (msgspec) and by
//! this crate once: decoding them here proves the two models have not drifted.
//! Regenerate with `python tests/fixtures/make_golden.py`.

use std::path::PathBuf;

use pgmt_core::model::{Object, Spec};
use pgmt_core::plan::Action;
use pgmt_core::{decode_snapshot, encode_plan, encode_snapshot, Plan, Snapshot};

fn fixture(name: &str) -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/fixtures")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

fn golden() -> (Vec<u8>, Snapshot) {
    let bytes = fixture("snapshot.msgpack");
    let snapshot = decode_snapshot(&bytes, "golden").expect("the golden snapshot decodes");
    (bytes, snapshot)
}

fn find<'a>(snapshot: &'a Snapshot, key: &str) -> &'a Object {
    snapshot
        .objects
        .iter()
        .find(|o| o.key == key)
        .unwrap_or_else(|| panic!("no {key} in the golden snapshot"))
}

/// One slot per kind, matched without a wildcard: a new `Spec` variant does not
/// compile here until the fixture covers it too.
fn kind_index(spec: &Spec) -> usize {
    match spec {
        Spec::Schema(_) => 0,
        Spec::Extension(_) => 1,
        Spec::Enum(_) => 2,
        Spec::Domain(_) => 3,
        Spec::Composite(_) => 4,
        Spec::Range(_) => 5,
        Spec::Sequence(_) => 6,
        Spec::SequenceOwner(_) => 7,
        Spec::Table(_) => 8,
        Spec::Column(_) => 9,
        Spec::Default(_) => 10,
        Spec::Constraint(_) => 11,
        Spec::Index(_) => 12,
        Spec::View(_) => 13,
        Spec::MaterializedView(_) => 14,
        Spec::Function(_) => 15,
        Spec::Trigger(_) => 16,
        Spec::Policy(_) => 17,
        Spec::Comment(_) => 18,
        Spec::Grant(_) => 19,
        Spec::DefaultPrivilege(_) => 20,
        Spec::Aggregate(_) => 21,
        Spec::Collation(_) => 22,
        Spec::Ownership(_) => 23,
        Spec::Rule(_) => 24,
        Spec::EventTrigger(_) => 25,
        Spec::Publication(_) => 26,
        Spec::PublicationTable(_) => 27,
        Spec::PublicationSchema(_) => 28,
        Spec::Statistics(_) => 29,
        Spec::Cast(_) => 30,
        Spec::TextSearchParser(_) => 31,
        Spec::TextSearchTemplate(_) => 32,
        Spec::TextSearchDictionary(_) => 33,
        Spec::TextSearchConfiguration(_) => 34,
        Spec::ForeignDataWrapper(_) => 35,
        Spec::ForeignServer(_) => 36,
        Spec::UserMapping(_) => 37,
        Spec::ForeignTable(_) => 38,
        Spec::Operator(_) => 39,
        Spec::OperatorFamily(_) => 40,
        Spec::OperatorClass(_) => 41,
        Spec::SecurityLabel(_) => 42,
        Spec::ColumnOptions(_) => 43,
        Spec::TypedTable(_) => 44,
        Spec::BaseType(_) => 45,
        Spec::ShellType(_) => 46,
        Spec::ReplicaIdentity(_) => 47,
        Spec::ColumnSettings(_) => 48,
    }
}
const KINDS: usize = 49;

#[test]
fn the_golden_snapshot_re_encodes_to_the_same_bytes_python_wrote() {
    let (bytes, snapshot) = golden();
    let again = encode_snapshot(&snapshot).unwrap();
    assert_eq!(decode_snapshot(&again, "re-encoded").unwrap(), snapshot);
    // rmp_serde (structs as arrays) and msgspec agree to the byte.
    assert_eq!(again, bytes);
}

#[test]
fn both_sides_declare_the_same_fields_in_the_same_order() {
    // Structs cross as arrays, positionally: encoded by name, the decoded golden snapshot
    // must give what Python wrote by name (every field's name and place, every kind).
    let (_, snapshot) = golden();
    assert_eq!(
        rmp_serde::to_vec_named(&snapshot).unwrap(),
        fixture("snapshot_named.msgpack")
    );
}

#[test]
fn the_golden_snapshot_holds_every_kind() {
    let (_, snapshot) = golden();
    assert_eq!(snapshot.server_version, 180_001);
    assert_eq!(snapshot.objects.len(), 64);
    let mut seen = [false; KINDS];
    for object in &snapshot.objects {
        seen[kind_index(&object.spec)] = true;
    }
    assert_eq!(seen, [true; KINDS]);
}

#[test]
fn the_golden_snapshot_keeps_quotes_unicode_options_and_extremes() {
    let (_, snapshot) = golden();
    let s = "\"Schéma \"\"quoted\"\"\"";
    let Spec::Enum(mood) = &find(&snapshot, &format!("type:{s}.mood")).spec else {
        panic!("mood is an enum");
    };
    assert_eq!(mood.labels, ["it's", "naïve", "日本語", "a \"b\""]);

    let sequence = find(&snapshot, &format!("sequence:{s}.orders_id_seq"));
    assert_eq!(
        sequence.owner.as_deref(),
        Some(&*format!("column:{s}.orders.id"))
    );
    let Spec::Sequence(sequence) = &sequence.spec else {
        panic!("a sequence");
    };
    assert_eq!(
        (sequence.start, sequence.min_value, sequence.max_value),
        (i64::MIN, i64::MIN, i64::MAX)
    );

    let Spec::Policy(policy) = &find(&snapshot, &format!("policy:{s}.orders.mine")).spec else {
        panic!("a policy");
    };
    assert_eq!(
        (policy.using.as_deref(), policy.with_check.as_deref()),
        (None, Some("(note IS NOT NULL)"))
    );
    assert_eq!(policy.roles, ["app", "\"Ünï\""]);

    let Spec::Function(procedure) =
        &find(&snapshot, &format!("function:{s}.archive(before date)")).spec
    else {
        panic!("a procedure");
    };
    assert_eq!(
        (procedure.function_kind.as_str(), &procedure.result),
        ("p", &None)
    );

    let Spec::Comment(comment) = &find(&snapshot, &format!("comment:table:{s}.orders")).spec else {
        panic!("a comment");
    };
    assert_eq!(comment.text, "Orders — l'été \"☀\"\nsecond line");
}

#[test]
fn the_golden_plan_decodes() {
    let plan: Plan =
        rmp_serde::from_slice(&fixture("plan.msgpack")).expect("the golden plan decodes");
    assert_eq!(plan.source_hash.len(), 64);
    assert_ne!(plan.source_hash, plan.target_hash);
    let [step] = plan.steps.as_slice() else {
        panic!("one step, got {:#?}", plan.steps);
    };
    assert_eq!(
        step.sql,
        "ALTER TABLE public.users ADD COLUMN name text DEFAULT 'O''Brien'::text"
    );
    assert_eq!(
        (
            step.object_key.as_str(),
            step.action,
            step.forced_by.as_deref()
        ),
        ("column:public.users.name", Action::Create, None)
    );
    assert_eq!(encode_plan(&plan).unwrap(), fixture("plan.msgpack"));
}

#[test]
fn a_planned_golden_snapshot_against_itself_is_empty() {
    let (_, snapshot) = golden();
    let plan = pgmt_core::plan(&snapshot, &snapshot).unwrap();
    assert_eq!(plan.steps, vec![]);
}
