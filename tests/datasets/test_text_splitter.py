"""TextSplitter: bounded chunks that overlap, cut at natural breaks; chunked text and Markdown datasets."""

import pytest

import synalinks
from synalinks.datasets import TextSplitter

TEXT = "\n\n".join(
    " ".join(f"Paragraph {p} sentence {s} says something." for s in range(1 + (p * 7) % 6)) for p in range(12)
)


def test_chunks_are_bounded_cover_the_text_and_overlap():
    splitter = TextSplitter(chunk_size=120, chunk_overlap=40)
    chunks = splitter.split(TEXT)
    assert all(len(chunk) <= 120 for chunk in chunks) and len(chunks) > 5
    sentences = [s.strip() + "." for s in TEXT.replace("\n\n", " ").split(".") if s.strip()]
    for sentence in sentences:
        assert any(sentence in chunk for chunk in chunks), f"{sentence!r} was cut in every chunk"
    overlapping = sum(1 for first, second in zip(chunks, chunks[1:]) if first.split(". ")[-1].rstrip(".") in second)
    assert overlapping >= len(chunks) // 2, "most chunks start with the end of the one before"
    assert TextSplitter(chunk_size=10, chunk_overlap=3).split("abcdefghijklmnopqrstuvwxyz") == [
        "abcdefghij",
        "hijklmnopq",
        "opqrstuvwx",
        "vwxyz",
    ], "a text with no break is cut anywhere, still overlapping"
    assert TextSplitter(chunk_size=50, chunk_overlap=0).split("short text") == ["short text"]


def test_token_chunks_and_bad_arguments():
    chunks = TextSplitter(chunk_size=20, chunk_overlap=5, unit="tokens").split(TEXT)
    assert all(synalinks.datasets.approximate_tokens(chunk) <= 20 for chunk in chunks)
    counted = TextSplitter(chunk_size=4, chunk_overlap=0, unit="tokens", length_function=lambda text: len(text.split()))
    assert counted.split("a b c d e f g h") == ["a b c d", "e f g h"]
    with pytest.raises(ValueError, match="chunk_overlap"):
        TextSplitter(chunk_size=10, chunk_overlap=10)
    with pytest.raises(ValueError, match="unit"):
        TextSplitter(unit="words")


def test_text_and_markdown_datasets_stream_chunks_keyed_for_a_knowledge_base(tmp_path):
    (tmp_path / "a.txt").write_text(TEXT)
    (tmp_path / "guide.md").write_text("# Guide\nIntro.\n## Install\n" + TEXT)
    splitter = TextSplitter(chunk_size=200, chunk_overlap=50)
    rows = [row for (batch,) in synalinks.datasets.TextDataset(tmp_path, splitter=splitter) for row in batch]
    assert [row.position for row in rows] == list(range(len(rows))) and rows[0].chunk_id == "a.txt#0"
    assert "".join(row.text for row in rows).count("Paragraph 11") >= 1
    sections = [row for (batch,) in synalinks.datasets.MarkdownDataset(tmp_path, splitter=splitter) for row in batch]
    keys = [row.section_id for row in sections]
    assert keys[:3] == ["guide.md#Guide", "guide.md#Guide > Install", "guide.md#Guide > Install#1"]
    assert len(set(keys)) == len(keys) and all(len(row.text) <= 200 for row in sections)
    assert {row.path for row in sections[1:]} == {"Guide > Install"}
