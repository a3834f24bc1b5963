"""Retrieval, language detection and the answer-or-handover policy on the seed knowledge base."""

import dataclasses
import json
from pathlib import Path

import pytest

from workflows.chatbot.evaluation import calibrate, evaluate, load_labelled, parse_labelled
from workflows.chatbot.kb import (
    KnowledgeBaseError,
    load_json_kb,
    parse_json_kb,
    seed_path,
    with_curated_variants,
)
from workflows.chatbot.policy import Calibration, Chatbot, features
from workflows.chatbot.text import detect_language, normalize

LABELLED = Path(seed_path()).parent / "labelled"
DEVELOPMENT = ("eval.jsonl", "heldout.jsonl", "heldout2.jsonl", "heldout3.jsonl", "heldout4.jsonl",
               "heldout5.jsonl", "heldout6.jsonl", "heldout7.jsonl",
               "heldout8.jsonl", "heldout9.jsonl", "heldout10.jsonl")
SHARED_SEED = Path(__file__).resolve().parents[3].parent / "shared" / "data" / "lovebali" / "seed_kb.json"


@pytest.fixture(scope="module")
def bot():
    return Chatbot(load_json_kb(seed_path()))


@pytest.mark.parametrize("text, lang", [
    ("How much is the levy?", "en"), ("berapa biaya pungutannya?", "id"), ("gmn cara byr?", "id"),
    ("udh bayar tp voucher gak masuk", "id"), ("pls help, paid twice", "en"), ("bayar tunai bisa?", "id"),
    # No function word either way: the words only one language's dictionary has decide.
    ("kapan Nyepi tahun depan?", "id"), ("jam buka kantor imigrasi", "id"),
    ("Nyepi date next year?", "en"), ("immigration office opening hours", "en"),
])
def test_detect_language(text, lang):
    assert detect_language(text) == lang


def test_normalize_folds_slang_case_accents_and_both_languages_onto_concepts():
    assert normalize("Gmn cara BYR pungutannya??") == normalize("bagaimana cara bayar pungutan")
    assert normalize("tourist tax") == normalize("wisatawan pajak") == "tourist levy"
    assert normalize("pleeease pay") == "pay"
    assert normalize("Café") == "cafe"


def test_stemming_folds_inflected_forms_of_both_languages():
    from workflows.chatbot.text import stem

    assert normalize("pembayaran") == normalize("dibayar") == normalize("payments") == "pay"
    assert stem("pemeriksaan") == stem("diperiksa") == "periksa"  # Sastrawi
    assert stem("regulations") == stem("regulation") == "regul"  # Snowball
    assert normalize("sanctioned") == normalize("sanksi") == "sanction"
    # Names and permits are left alone ("bali" is not "bal", "kitas" is not "kita").
    assert normalize("bali kitas") == "bali kitas"


def test_speller_fixes_one_letter_typos_but_not_real_words(bot):
    speller = bot.retriever.speller
    assert speller.correct("levvy exemtion pasenger") == "levy exemption passenger"
    # Real English or Indonesian words one letter from a knowledge-base word stay as they are.
    assert speller.correct("nights police sewa dihukum") == "nights police sewa dihukum"
    assert bot.ask("how much is the levvy").entry_id == "amount"


def test_names_the_levy_tells_the_levy_from_any_fee_or_tax():
    from workflows.chatbot.text import names_the_levy

    assert names_the_levy("how much is the Love Bali levy") and names_the_levy("brp pungutannya")
    assert names_the_levy("is the bali tourist tax new?")
    # Both fold onto the levy concept for retrieval, but neither names the levy.
    assert normalize("visa fee") == "visa levy" and not names_the_levy("visa fee")
    assert not names_the_levy("hotel tax in bali")


def test_the_whole_entry_outweighs_a_short_variant_sharing_only_common_words(bot):
    # "kena pungutan" is shared with a children variant ("bayi kena pungutan tidak?"); "kitas" is
    # the word only one entry uses.
    assert bot.retriever.search("pemegang kitas kena pungutan ga sih")[0].entry.id == "kitas"


def test_explained_counts_the_rare_words_the_best_entry_does_not_use(bot):
    methods = next(e for e in bot.entries if e.id == "payment_methods")
    assert bot.retriever.explained("can I pay with QRIS", methods) == 1.0
    partly = bot.retriever.explained("can I pay for my hotel booking with QRIS", methods)
    assert 0.0 < partly < 0.8
    assert bot.retriever.explained("???", methods) == 0.0


@pytest.mark.parametrize("question, entry_id, lang", [
    ("How much is the Bali tourist levy?", "amount", "en"),
    ("brp biaya pungutan wisman?", "amount", "id"),
    ("bisa bayar pake uang tunai?", "cash", "id"),
    ("Can I pay at the airprot when I land?", "airport_counter", "en"),
    ("ke nusa penida bayar lagi ga?", "nusa_penida", "id"),
])
def test_answers_in_the_askers_language(bot, question, entry_id, lang):
    reply = bot.ask(question)
    assert (reply.entry_id, reply.handoff, reply.language) == (entry_id, False, lang)
    entry = next(e for e in bot.entries if e.id == entry_id)
    assert reply.answer == entry.answer(lang)
    assert 0 < reply.confidence <= 1


@pytest.mark.parametrize("question", [
    "What's the weather like in Ubud?", "Recommend a good restaurant in Canggu",
    "berapa harga sewa motor per hari?", "hello", "???", "", "asdf qwerty zxcv",
])
def test_out_of_scope_goes_to_a_person_without_an_entry(bot, question):
    reply = bot.ask(question)
    assert reply.handoff is True and reply.entry_id is None
    assert "petugas" in reply.answer or "officer" in reply.answer


@pytest.mark.parametrize("question, entry_id", [
    ("I want to talk to a human", "human"), ("saya mau bicara dengan petugas", "human"),
    ("can I get a refund, my trip was cancelled", "refund"),
    ("if I go to Lombok and come back do I pay again?", "lombok_gili"),
])
def test_unverified_entries_and_the_person_intent_hand_over_with_their_answer(bot, question, entry_id):
    reply = bot.ask(question)
    assert (reply.entry_id, reply.handoff) == (entry_id, True)
    assert "officer" in reply.answer.lower() or "petugas" in reply.answer.lower()


@pytest.mark.parametrize("question, entry_id, lang", [
    ("tanya soal pungutan untuk grup sekolah", "group_payment", "id"),
    ("levy question for a school group", "group_payment", "en"),
    ("pungutan dan tiket pesawat", "domestic_flight", "id"),
])
def test_an_unsure_levy_question_is_offered_the_likeliest_entries(bot, question, entry_id, lang):
    reply = bot.ask(question)
    assert (reply.handoff, reply.reason, reply.entry_id) == (True, "low-confidence", None)
    by_id = {e.id: e for e in bot.entries}
    assert entry_id in dict(reply.suggestions)
    assert 1 <= len(reply.suggestions) <= 3
    assert all(text == by_id[key].question(lang) for key, text in reply.suggestions)
    # Each choice, asked, is answered with its own entry.
    for key, text in reply.suggestions:
        assert bot.ask(text).entry_id == key


@pytest.mark.parametrize("question", ["Recommend a good restaurant in Canggu", "hello", "ok"])
def test_a_question_without_levy_words_gets_no_levy_choices(bot, question):
    assert bot.ask(question).suggestions == ()


def test_entries_without_variants_borrow_the_curated_ones_for_the_same_entry():
    full = {e.id: e for e in load_json_kb(seed_path())}
    bare = [dataclasses.replace(e, variants=()) for e in full.values()]
    assert Chatbot(bare).ask("when did the tourist tax come in").entry_id != "start_date"
    borrowed = with_curated_variants(bare)
    assert [e.variants for e in borrowed] == [e.variants for e in full.values()]
    assert Chatbot(borrowed).ask("when did the tourist tax come in").entry_id == "start_date"
    own = dataclasses.replace(full["amount"], variants=("tarif levy",))
    other = dataclasses.replace(full["cash"], variants=(), question_en="Where do I park?",
                                question_id="Parkir di mana?")
    assert [e.variants for e in with_curated_variants([own, other])] == [("tarif levy",), ()]


def test_only_approved_entries_are_served():
    doc = json.loads(seed_path().read_text())
    for item in doc["items"]:
        if item["id"] == "cash":
            item["approval"] = "Draft"
    from workflows.chatbot.kb import served

    entries = served(parse_json_kb(json.dumps(doc)))
    assert "cash" not in {e.id for e in entries}
    assert Chatbot(entries).ask("Can I pay in cash?").entry_id != "cash"


@pytest.mark.parametrize("text, message", [
    ("{", "not valid JSON"), ("[]", "no items"), ('{"items": 3}', "list of items"),
    ('[{"id": "a", "a_en": "x"}]', "item 0 has no a_id"),
    ('[{"id": "a", "a_en": "x", "a_id": "y"}]', "neither q_en nor q_id"),
    ('[{"id":"a","q_en":"q","a_en":"x","a_id":"y"},'
     '{"id":"a","q_en":"q","a_en":"x","a_id":"y"}]', "appears twice"),
])
def test_bad_knowledge_base_is_refused_by_name(text, message):
    with pytest.raises(KnowledgeBaseError, match=message):
        parse_json_kb(text)


def test_the_research_seed_file_loads_as_is():
    if not SHARED_SEED.exists():
        pytest.skip("shared research data not beside the repository")
    entries = load_json_kb(SHARED_SEED)
    assert len(entries) == 31
    assert {e.id for e in entries if e.handover} == {
        "voucher_not_received", "lombok_gili", "refund", "wrong_data", "human"}


def test_labelled_files_keep_questions_apart_from_the_knowledge_base():
    entries = load_json_kb(seed_path())
    written = {q.lower().strip(" ?") for e in entries for q in e.questions()}
    variants = {normalize(v) for e in entries for v in e.variants}
    for name in (*DEVELOPMENT, "calibration.jsonl", "test_frozen.jsonl", "test_frozen2.jsonl",
                 "test_frozen3.jsonl"):
        rows = load_labelled(LABELLED / name, known={e.id for e in entries})
        assert not [r.question for r in rows if r.question.lower().strip(" ?") in written], name
        # Our variants never coincide with a labelled question, even after normalisation, but for
        # three (docs/chatbot.md): one of heldout2 written after the variants; one of eval that
        # "pake" (now a function word) brings onto "bisa bayar uang tunai?"; one of calibration
        # that the thesaurus ("wni", "indonesians" -> citizen) brings onto "do Indonesians pay".
        known = {"heldout2.jsonl": ["is the levy only for foreigners"],
                 "eval.jsonl": ["boleh bayar pake uang cash?"],
                 "calibration.jsonl": ["apakah wni juga bayar pungutan?"]}
        clash = [r.question for r in rows if normalize(r.question) in variants]
        assert clash == known.get(name, []), name
    eval_q = {r.question.lower() for r in load_labelled(LABELLED / "eval.jsonl")}
    cal_q = {r.question.lower() for r in load_labelled(LABELLED / "calibration.jsonl")}
    assert not eval_q & cal_q


def test_frozen_test_file_shares_no_question_with_the_development_files():
    # test_frozen.jsonl is never tuned on; a development question that normalises to one of its
    # questions would leak it into tuning.
    development = {normalize(r.question) for name in (*DEVELOPMENT, "calibration.jsonl")
                   for r in load_labelled(LABELLED / name)}
    frozen = load_labelled(LABELLED / "test_frozen.jsonl")
    assert len(frozen) >= 120 and sum(r.expected is None for r in frozen) >= 25
    # One was written apart but normalises, since stemming, like an eval.jsonl question ("setelah
    # bayar dapet bukti apa?"); it stays, as written (docs/chatbot.md).
    clash = [r.question for r in frozen if normalize(r.question) in development]
    assert clash == ["sesudah bayar, dapat bukti apa?"]


@pytest.mark.parametrize("name, earlier_files, at_least, outside", [
    # test_frozen2.jsonl (stop 16) was written and committed before any change of that round.
    ("test_frozen2.jsonl", ("test_frozen.jsonl",), 140, 25),
    # test_frozen3.jsonl (stop 17) was written blind to every other labelled question and to the
    # system's behaviour, and committed before it was first run.
    ("test_frozen3.jsonl", ("test_frozen.jsonl", "test_frozen2.jsonl"), 180, 40),
])
def test_later_frozen_test_files_share_nothing_with_any_other_question(name, earlier_files, at_least,
                                                                       outside):
    # Their questions normalise like no knowledge-base phrasing (the variants included) and no
    # other labelled question, and every entry is asked.
    entries = load_json_kb(seed_path())
    earlier = {normalize(q) for e in entries for q in e.questions()} | {
        normalize(r.question) for other in (*DEVELOPMENT, "calibration.jsonl", *earlier_files)
        for r in load_labelled(LABELLED / other)}
    frozen = load_labelled(LABELLED / name, known={e.id for e in entries})
    assert len(frozen) >= at_least and sum(r.expected is None for r in frozen) >= outside
    assert len({r.expected for r in frozen if r.expected}) == len(entries)  # every entry asked
    assert [r.question for r in frozen if normalize(r.question) in earlier] == []
    assert len({normalize(r.question) for r in frozen}) == len(frozen)


def test_evaluation_meets_the_targets_on_the_labelled_set(bot):
    rows = load_labelled(LABELLED / "eval.jsonl")
    result = evaluate(bot, rows)
    assert result["top1"] >= 0.90
    assert result["out_of_scope_handed_over"] == 1.0
    assert result["language_accuracy"] == 1.0
    assert result["handover_recall"] >= 0.95


def test_evaluation_counts_by_hand_on_a_tiny_set(bot):
    rows = parse_labelled("\n".join(json.dumps(r) for r in [
        {"question": "How much is the Bali tourist levy?", "expected": "amount"},
        {"question": "Where can I rent a scooter?", "expected": None},
        {"question": "I want to talk to a human", "expected": "human"},
    ]), "tiny")
    result = evaluate(bot, rows)
    assert (result["top1"], result["mrr"]) == (1.0, 1.0)
    assert (result["handover_precision"], result["handover_recall"]) == (1.0, 1.0)
    assert result["answered"] == 1 and result["answer_accuracy"] == 1.0


def test_calibration_hands_over_every_out_of_scope_question_it_saw(bot):
    rows = load_labelled(LABELLED / "calibration.jsonl")
    fitted = calibrate(bot, rows, origin="test")
    refit = Chatbot(bot.entries, calibration=fitted, retriever=bot.retriever)
    assert all(refit.ask(r.question).handoff for r in rows if r.expected is None)
    # The shipped calibration is this fit.
    shipped = Calibration.load()
    assert shipped.weights == fitted.weights and shipped.threshold == fitted.threshold


def test_labelled_file_errors_name_the_line():
    with pytest.raises(KnowledgeBaseError, match="line 2 is not valid JSON"):
        parse_labelled('{"question": "a", "expected": null}\n{oops', "f")
    with pytest.raises(KnowledgeBaseError, match="line 1: no entry 'nope'"):
        parse_labelled('{"question": "a", "expected": "nope"}', "f", known={"amount"})


def test_tfidf_weights_by_hand():
    from workflows.chatbot.tfidf import Tfidf, char_wb_ngrams, word_ngrams

    assert word_ngrams("pay levy now") == ["pay", "levy", "now", "pay levy", "levy now"]
    assert char_wb_ngrams("ab levy") == [" ab", "ab ", " ab ", " le", "lev", "evy", "vy ", " lev",
                                         "levy", "evy ", " levy", "levy "]
    model = Tfidf(word_ngrams, ["pay levy", "pay cash"])
    sims = model.similarities("levy")
    # "levy" appears in one of two documents: idf ln(3/2)+1; "pay" in both: idf 1.
    levy, pay = 1.4054651, 1.0
    assert abs(sims[0] - levy / (levy**2 + pay**2 + levy**2) ** 0.5) < 1e-6
    assert sims[1] == 0.0 and not model.similarities("unknown words").any()


def test_question_sentence_is_the_asking_sentence_of_a_longer_message():
    from workflows.chatbot.text import question_sentence

    assert question_sentence("How much is the levy?") is None  # one sentence: nothing to pick
    assert question_sentence("Hi! We land on 3 March. Do the kids pay too? Thanks.") == "Do the kids pay too?"
    assert question_sentence("halo kak\nsy udh di ubud\nmsh bisa bayar gak") == "msh bisa bayar gak"
    assert question_sentence("Is it 150k? Or more? Thanks!") == "Or more?"


def test_a_long_message_is_answered_when_its_question_sentence_confirms_the_entry(bot):
    message = ("Hi, greetings from Oslo! My wife and I are planning our honeymoon in Bali this December "
               "and sorting out the budget now. How much is the tourist levy for each person?")
    hits = bot.retriever.search(message, k=5)
    diluted = bot.calibration.confidence(features(bot.retriever, hits, message, bot.lex))
    assert hits[0].entry.id == "amount" and diluted < bot.calibration.threshold  # the context dilutes
    reply = bot.ask(message)
    assert (reply.entry_id, reply.handoff, reply.reason) == ("amount", False, "answered")
    assert reply.confidence >= bot.calibration.threshold


def test_a_long_message_about_something_else_still_goes_to_a_person(bot):
    # The levy is named in the context, but the question is a taxi fare: no confirmation.
    reply = bot.ask("Hello, we paid the levy already, thanks. One more thing: how much does a taxi "
                    "from the airport to Ubud usually cost?")
    assert (reply.entry_id, reply.handoff, reply.reason) == (None, True, "low-confidence")


def test_question_windows_are_the_asking_sentence_then_it_with_the_one_before():
    from workflows.chatbot.text import question_windows

    assert question_windows("Does my daughter pay?") == []
    assert question_windows("Hi! Our daughter is two. Does she pay too? Thanks.") == [
        "Does she pay too?", "Our daughter is two. Does she pay too?"]
    assert question_windows("Do kids pay? We land on Friday.") == ["Do kids pay?"]  # nothing before


@pytest.mark.parametrize("question", [
    "hotel tax bali?", "berapa biaya visa on arrival?", "parkir bayar cash?",
    "what is the airport tax at Denpasar"])
def test_a_question_naming_another_charge_and_not_the_levy_goes_to_a_person(bot, question):
    reply = bot.ask(question)
    assert (reply.entry_id, reply.handoff) == (None, True)
    assert reply.reason in ("other-charge", "low-confidence")


def test_naming_the_levy_beside_another_charge_is_still_answered(bot):
    from workflows.chatbot.text import names_another_charge

    assert names_another_charge("pajak hotel berapa?") and names_another_charge("VAT refund?")
    assert not names_another_charge("Can I pay the levy at the airport?")
    reply = bot.ask("Is the levy the same as the visa fee?")
    assert (reply.entry_id, reply.handoff, reply.reason) == ("visa_difference", False, "answered")


def test_chat_plurals_with_a_2_read_as_the_reduplicated_word():
    assert normalize("anak2") == normalize("anak-anak") == normalize("children")
    assert normalize("pungutan utk anak2 jg gak") == normalize("pungutan untuk anak-anak juga tidak")
