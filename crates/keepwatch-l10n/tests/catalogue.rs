//! Holds the two `.ftl` files to each other and to the Rust code: the same ids with the same
//! variables in both languages, every id the Rust code uses present, Arabic counts in all six
//! plural forms, and no construct that fluent-rs and fluent.js would isolate differently.

use std::collections::{BTreeMap, BTreeSet};

use fluent_syntax::ast::{Entry, Expression, InlineExpression, Pattern, PatternElement};
use keepwatch_l10n::{msg, source, Catalogue, Language};

/// Every message of a language, with the variables it uses anywhere in its pattern.
fn messages(language: Language) -> BTreeMap<String, BTreeSet<String>> {
    let resource = fluent_syntax::parser::parse(source(language))
        .unwrap_or_else(|(_, errors)| panic!("{language:?} does not parse: {errors:?}"));
    let mut out = BTreeMap::new();
    for entry in resource.body {
        match entry {
            Entry::Message(message) => {
                assert!(
                    message.attributes.is_empty(),
                    "{}: no attributes",
                    message.id.name
                );
                let value = message
                    .value
                    .unwrap_or_else(|| panic!("{} has no value", message.id.name));
                let mut vars = BTreeSet::new();
                pattern_vars(&value, &mut vars, message.id.name);
                assert!(
                    out.insert(message.id.name.to_owned(), vars).is_none(),
                    "{} twice",
                    message.id.name
                );
            }
            Entry::Term(term) => panic!("term -{}: see the README on isolation", term.id.name),
            Entry::Junk { content } => panic!("{language:?}: junk {content:?}"),
            _ => {}
        }
    }
    out
}

fn pattern_vars(pattern: &Pattern<&str>, vars: &mut BTreeSet<String>, id: &str) {
    let len = pattern.elements.len();
    for element in &pattern.elements {
        if let PatternElement::Placeable { expression } = element {
            if len > 1 {
                // fluent-rs leaves these unisolated and fluent.js isolates them, so the two
                // would give different strings for the same message.
                let differs = matches!(
                    expression,
                    Expression::Inline(
                        InlineExpression::StringLiteral { .. }
                            | InlineExpression::MessageReference { .. }
                            | InlineExpression::TermReference { .. }
                    )
                );
                assert!(
                    !differs,
                    "{id}: a literal or reference inside a longer pattern"
                );
            }
            expression_vars(expression, vars, id);
        }
    }
}

fn expression_vars(expression: &Expression<&str>, vars: &mut BTreeSet<String>, id: &str) {
    match expression {
        Expression::Select { selector, variants } => {
            inline_vars(selector, vars, id);
            for variant in variants {
                pattern_vars(&variant.value, vars, id);
            }
        }
        Expression::Inline(inline) => inline_vars(inline, vars, id),
    }
}

fn inline_vars(inline: &InlineExpression<&str>, vars: &mut BTreeSet<String>, id: &str) {
    match inline {
        InlineExpression::VariableReference { id: var } => {
            vars.insert(var.name.to_owned());
        }
        InlineExpression::Placeable { expression } => expression_vars(expression, vars, id),
        InlineExpression::FunctionReference { arguments, .. } => {
            for arg in &arguments.positional {
                inline_vars(arg, vars, id);
            }
        }
        InlineExpression::MessageReference { .. } | InlineExpression::TermReference { .. } => {
            panic!("{id}: references are not used (see the README on isolation)")
        }
        InlineExpression::StringLiteral { .. } | InlineExpression::NumberLiteral { .. } => {}
    }
}

#[test]
fn both_languages_have_the_same_messages_with_the_same_variables() {
    let en = messages(Language::En);
    let ar = messages(Language::Ar);
    let only_en: Vec<_> = en.keys().filter(|id| !ar.contains_key(*id)).collect();
    let only_ar: Vec<_> = ar.keys().filter(|id| !en.contains_key(*id)).collect();
    assert!(only_en.is_empty(), "missing in Arabic: {only_en:?}");
    assert!(only_ar.is_empty(), "missing in English: {only_ar:?}");
    for (id, vars) in &en {
        assert_eq!(Some(vars), ar.get(id), "{id}: the variables differ");
    }
}

#[test]
fn ids_are_kebab_case() {
    for id in messages(Language::En).keys() {
        let kebab = id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
        assert!(kebab && !id.starts_with('-') && !id.ends_with('-'), "{id}");
    }
}

#[test]
fn every_message_the_rust_code_uses_exists_with_its_variables() {
    for language in Language::ALL {
        let messages = messages(language);
        for message in msg::ALL {
            let declared: BTreeSet<String> =
                message.variables().iter().map(|v| v.to_string()).collect();
            assert_eq!(
                messages.get(message.id()),
                Some(&declared),
                "{language:?}: {} missing or with other variables",
                message.id()
            );
        }
    }
}

#[test]
fn every_message_formats_in_both_languages_without_falling_back() {
    for language in Language::ALL {
        let catalogue = Catalogue::get(language);
        for message in msg::ALL {
            let args: Vec<_> = message.variables().iter().map(|v| (*v, 7.into())).collect();
            let text = catalogue.format(*message, &args);
            assert_ne!(text, message.id(), "{language:?}: {}", message.id());
            assert!(!text.trim().is_empty(), "{language:?}: {}", message.id());
        }
    }
}

/// Arabic sentences wrap each placeable in FSI…PDI.
fn iso(text: &str) -> String {
    format!("\u{2068}{text}\u{2069}")
}

#[test]
fn arabic_counts_take_all_six_plural_forms() {
    let ar = Catalogue::get(Language::Ar);
    let unreviewed = |n: u32| ar.format(msg::UNREVIEWED_ALERTS, &[("count", n.into())]);
    assert_eq!(unreviewed(0), "لا تنبيهات بانتظار المراجعة");
    assert_eq!(unreviewed(1), "تنبيه واحد بانتظار المراجعة");
    assert_eq!(unreviewed(2), "تنبيهان بانتظار المراجعة");
    assert_eq!(
        unreviewed(3),
        format!("{} تنبيهات بانتظار المراجعة", iso("3"))
    );
    assert_eq!(
        unreviewed(11),
        format!("{} تنبيهًا بانتظار المراجعة", iso("11"))
    );
    assert_eq!(
        unreviewed(100),
        format!("{} تنبيه بانتظار المراجعة", iso("100"))
    );
    let forms: BTreeSet<String> = [0, 1, 2, 3, 11, 100].map(unreviewed).into_iter().collect();
    assert_eq!(forms.len(), 6);
}

#[test]
fn english_counts_take_one_and_other_and_an_exact_zero() {
    let en = Catalogue::get(Language::En);
    let unreviewed = |n: u32| en.format(msg::UNREVIEWED_ALERTS, &[("count", n.into())]);
    assert_eq!(unreviewed(0), "No unreviewed alerts");
    assert_eq!(unreviewed(1), "1 unreviewed alert");
    assert_eq!(unreviewed(2), "2 unreviewed alerts");
    assert_eq!(unreviewed(100), "100 unreviewed alerts");
}

/// The same two strings are asserted in ui/src/lib/i18n/catalogue.test.ts, so that a change in
/// either library's isolation shows on both sides.
#[test]
fn placeables_are_isolated_in_arabic_only() {
    let args = [("reason", "disk full".into())];
    assert_eq!(
        Catalogue::get(Language::En).format(msg::OTHERS_FAILED_BODY, &args),
        "The other sessions are still signed in: disk full."
    );
    assert_eq!(
        Catalogue::get(Language::Ar).format(msg::OTHERS_FAILED_BODY, &args),
        "ما زالت الجلسات الأخرى مسجَّلة الدخول: \u{2068}disk full\u{2069}."
    );
    // A whole-pattern literal is never isolated, in either library.
    assert_eq!(Catalogue::get(Language::Ar).text(msg::LIST_SEPARATOR), "، ");
    assert_eq!(Catalogue::get(Language::En).text(msg::LIST_SEPARATOR), ", ");
}

#[test]
fn a_message_that_cannot_be_formatted_falls_back_without_panicking() {
    // Missing its variable, the message fails in Arabic and in English alike: the id shows.
    let ar = Catalogue::get(Language::Ar);
    assert_eq!(ar.text(msg::OTHERS_FAILED_BODY), "others-failed-body");
    assert_eq!(ar.text(msg::QUIT), "إنهاء");
}
