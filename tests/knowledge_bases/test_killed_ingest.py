"""A process killed (SIGKILL) in the middle of an ingest leaves a readable store: every batch in or out."""

import asyncio
import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest

import synalinks

BATCH = 200

INGEST = textwrap.dedent(
    """
    import asyncio, sys
    import synalinks

    class Passage(synalinks.DataModel):
        id: str
        text: str
        position: int

    async def main():
        kb = synalinks.KnowledgeBase(uri=sys.argv[1], data_models=[Passage])
        batch = 0
        while True:
            await kb.update([
                Passage(id=f"b{batch}-{i}", text=f"passage {i} of batch {batch} " * 8, position=batch * 1000 + i)
                for i in range(int(sys.argv[2]))
            ])
            print(batch, flush=True)
            batch += 1

    asyncio.run(main())
    """
)


class Passage(synalinks.DataModel):
    id: str
    text: str
    position: int


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="SIGKILL is a POSIX signal")
@pytest.mark.parametrize("engine", ["lancedb", "duckdb"])
def test_sigkill_mid_ingest_leaves_every_record_whole_or_absent(tmp_path, engine):
    uri = str(tmp_path / "kb") if engine == "lancedb" else f"duckdb://{tmp_path / 'kb.db'}"
    process = subprocess.Popen(
        [sys.executable, "-c", INGEST, uri, str(BATCH)], stdout=subprocess.PIPE, text=True, cwd=os.getcwd()
    )
    try:
        for _ in range(4):  # four batches committed, the fifth being written
            assert process.stdout.readline().strip(), "the ingest process stopped early"
        time.sleep(0.01)
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait()
    committed = 4
    kb = synalinks.KnowledgeBase(uri=uri, data_models=[Passage])
    count = asyncio.run(kb.count("Passage"))
    assert count % BATCH == 0 and count >= committed * BATCH, f"{count} records: a batch was cut in two"
    records = asyncio.run(kb.getall(table_name="Passage", limit=count + 1))
    for record in records:
        batch, i = (int(part) for part in record.get("id")[1:].split("-"))
        assert record.get_json() == {
            "id": f"b{batch}-{i}",
            "text": f"passage {i} of batch {batch} " * 8,
            "position": batch * 1000 + i,
        }, "a partial record"
    asyncio.run(kb.update([Passage(id="after", text="written after the crash", position=-1)]))
    assert asyncio.run(kb.count("Passage")) == count + 1, "the store takes writes again"
