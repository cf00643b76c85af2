from synalinks.datasets import arithmetic, extraction, sentiment
from synalinks.datasets.csv_dataset import CSVDataset
from synalinks.datasets.dataset import Dataset, DatasetRowError
from synalinks.datasets.json_dataset import JSONDataset
from synalinks.datasets.jsonl_dataset import JSONLDataset
from synalinks.datasets.markdown_dataset import (
    MarkdownDataset,
    MarkdownDocument,
    MarkdownSection,
    split_markdown_sections,
)
from synalinks.datasets.parquet_dataset import ParquetDataset
from synalinks.datasets.text_dataset import TextChunk, TextDataset, TextDocument
from synalinks.datasets.text_splitter import TextSplitter, approximate_tokens

__all__ = [
    "CSVDataset",
    "Dataset",
    "DatasetRowError",
    "JSONDataset",
    "JSONLDataset",
    "MarkdownDataset",
    "MarkdownDocument",
    "MarkdownSection",
    "ParquetDataset",
    "TextChunk",
    "TextDataset",
    "TextDocument",
    "TextSplitter",
    "approximate_tokens",
    "arithmetic",
    "extraction",
    "sentiment",
    "split_markdown_sections",
]
