"""`MarkdownDataset`: one row per Markdown file, split into its sections by headings."""

import re

from synalinks.data_models.data_model import DataModel
from synalinks.data_models.field import Field
from synalinks.datasets.text_dataset import TextDataset

_HEADING = re.compile(r"^(#{1,6})[ \t]+(.+?)[ \t]*#*[ \t]*$")
_FENCE = re.compile(r"^(```|~~~)")
_FRONT_MATTER = re.compile(r"\A---[ \t]*\n.*?\n---[ \t]*(\n|\Z)", re.DOTALL)


class MarkdownSection(DataModel):
    """A section of a Markdown file: the text under a heading, up to the next heading."""

    section_id: str = Field(description="A key unique in the corpus: '<file>#<heading path>'")
    filepath: str = Field(description="The file's path, relative to the corpus folder")
    path: str = Field(description="The headings above the section and its own, joined by ' > '")
    section_name: str = Field(description="The section's heading ('' for the text before the first heading)")
    level: int = Field(description="The heading level, 1 to 6 (0 before the first heading)")
    text: str = Field(description="The section's text, without its heading")


class MarkdownDocument(DataModel):
    """A Markdown file: its path, its title and its sections."""

    filepath: str = Field(description="The file's path, relative to the corpus folder")
    title: str = Field(description="The first level-1 heading, else the file name")
    sections: list[MarkdownSection] = Field(description="The sections, in order")


def split_markdown_sections(text):
    """The sections of a Markdown text: `[{"path", "section_name", "level", "text"}]`, split at ATX
    headings (`#` to `######`) outside fenced code blocks, YAML front matter left out.

    Example:

    ```python
    split_markdown_sections("# A\\nintro\\n## B\\nbody")
    # [{"path": "A", "section_name": "A", "level": 1, "text": "intro"},
    #  {"path": "A > B", "section_name": "B", "level": 2, "text": "body"}]
    ```
    """
    text = _FRONT_MATTER.sub("", text)
    sections, stack, current, lines, fenced = [], [], None, [], False

    def close():
        body = "\n".join(lines).strip()
        if current is not None or body:
            name, level = current if current is not None else ("", 0)
            path = " > ".join(heading for heading, _ in stack) if current is not None else ""
            sections.append({"path": path, "section_name": name, "level": level, "text": body})

    for line in text.splitlines():
        if _FENCE.match(line.strip()):
            fenced = not fenced
        heading = None if fenced else _HEADING.match(line)
        if heading is None:
            lines.append(line)
            continue
        close()
        level, name = len(heading.group(1)), heading.group(2).strip()
        while stack and stack[-1][1] >= level:
            stack.pop()
        stack.append((name, level))
        current, lines = (name, level), []
    close()
    return sections


class MarkdownDataset(TextDataset):
    """One `MarkdownDocument` per `.md` file under a folder (local or any fsspec URL): its title and
    its sections split by headings, so a knowledge base can store and search the sections.

    Args:
        root: The folder (or a file, or a list of files).
        encoding, recursive, batch_size, limit, repeat: As for `TextDataset`.
        glob_pattern: The ending of the files read (default `.md`).
        splitter: A `TextSplitter`: the rows are then the sections
            (`MarkdownSection`), each cut into chunks of the splitter's size
            (keys '<file>#<heading path>', then '#1', '#2'... for a section's
            further chunks), for a knowledge base.
        input_data_model, input_schema, input_template: Another shape for the
            rows `{"filepath", "title", "sections"}` (default: `MarkdownDocument`).

    Example:

    ```python
    sections = [
        section
        for (documents,) in synalinks.datasets.MarkdownDataset("docs/")
        for document in documents
        for section in document.sections
    ]
    ```
    """

    document_data_model = MarkdownDocument
    chunk_data_model = MarkdownSection

    def __init__(self, root, glob_pattern=".md", **kwargs):
        super().__init__(root, glob_pattern=glob_pattern, **kwargs)

    def document(self, filepath, text):
        sections = [
            {"section_id": f"{filepath}#{section['path']}", "filepath": filepath, **section}
            for section in split_markdown_sections(text)
        ]
        title = next((s["section_name"] for s in sections if s["level"] == 1), None)
        stem = filepath.replace("\\", "/").rsplit("/", 1)[-1].rsplit(".", 1)[0]
        return {"filepath": filepath, "title": title or stem, "sections": sections}

    def chunks(self, filepath, text):
        rows = []
        for section in self.document(filepath, text)["sections"]:
            for position, chunk in enumerate(self.splitter.split(section["text"]) or [""]):
                key = section["section_id"] + (f"#{position}" if position else "")
                rows.append({**section, "section_id": key, "text": chunk})
        return rows
