//! What a consumer's first reminder must say, checked in the letter as it was rendered (the
//! shipped templates and the user's own alike): only a letter carrying every mention starts
//! the consumer's 14 days.
//!
//! - Belgium, Code of Economic Law art. XIX.2 (law of 4 May 2023): the reminder is free; it
//!   names the creditor (name, address, enterprise number), the goods or service, the due
//!   date, the exact damages and interest charged after the term, and the 14-day term.
//! - The Netherlands, art. 6:96 lid 6 BW: the 14-day letter names the exact collection costs
//!   charged after 14 days counted from the day after its receipt (no fixed date).

use super::context::LetterContext;
use crate::domain::customer::Language;

/// The mentions `body` lacks, in words for the user; empty when it carries them all.
pub fn lacking(ctx: &LetterContext, body: &str, lang: Language) -> Vec<String> {
    let has = |text: &str| !text.trim().is_empty() && body.contains(text.trim());
    let mut lacks: Vec<String> = Vec::new();
    let mut need = |ok: bool, what: String| {
        if !ok {
            lacks.push(what);
        }
    };
    let free: &[&str] = match lang {
        Language::Nl => &["kosteloos", "gratis"],
        Language::Fr => &["gratuit"],
        Language::En | Language::De => &["free of charge"],
    };
    let lower = body.to_lowercase();
    let be = ctx.jurisdiction == "BE";
    if be {
        need(free.iter().any(|w| lower.contains(w)), "that the reminder is free of charge".into());
        need(has(&ctx.me.sender), "your name ([me] name or company)".into());
        let address: Vec<&str> = ctx.me.address.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
        need(
            !address.is_empty() && address.iter().all(|l| body.contains(l)),
            "your address ([me] address)".into(),
        );
        need(has(&ctx.me.enterprise), "your enterprise number ([me] enterprise)".into());
        need(has(&ctx.invoice.description), "what was sold (the invoice's description)".into());
        need(has(&ctx.invoice.due), "the due date".into());
        need(has(&ctx.consumer.interest_rate), "the interest rate charged after the term".into());
        need(has(&ctx.consumer.term_end), "the last day of the 14 days".into());
    } else {
        need(has(&ctx.me.sender), "your name ([me] name or company)".into());
        need(body.contains(&ctx.consumer.term_days.to_string()), "the 14-day term".into());
    }
    if ctx.consumer.has_costs {
        need(has(&ctx.consumer.costs), format!("the exact costs ({})", ctx.consumer.costs));
    }
    lacks
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_mention_is_looked_for_in_the_letter() {
        let mut ctx = super::super::samples::sample(true);
        ctx.jurisdiction = "BE".into();
        ctx.consumer.has_costs = true;
        ctx.consumer.costs = "€90.00".into();
        let full = "This first reminder is free of charge. Peeters Ontwerp, Kerkstraat 1, 9000 Gent, \
                    enterprise 0123.456.749. Website translation, due 31 October 2026. Damages €90.00, \
                    interest 4.5 % a year, after 7 December 2026.";
        assert_eq!(lacking(&ctx, full, Language::En), Vec::<String>::new());
        let bare = "Please pay. Peeters Ontwerp.";
        let lacks = lacking(&ctx, bare, Language::En);
        for want in [
            "free of charge",
            "address",
            "enterprise",
            "description",
            "due date",
            "€90.00",
            "interest",
            "14 days",
        ] {
            assert!(lacks.iter().any(|l| l.contains(want)), "{want}: {lacks:?}");
        }
        // The Netherlands: the costs and the 14 days.
        ctx.jurisdiction = "NL".into();
        assert_eq!(
            lacking(&ctx, "Peeters Ontwerp: €90.00 after 14 days", Language::Nl),
            Vec::<String>::new()
        );
        assert_eq!(lacking(&ctx, "Peeters Ontwerp: 14 days", Language::Nl).len(), 1);
    }
}
