"""The embedder in ONNX Runtime: the same vectors as sentence-transformers, without torch.

On the two-core laptops our users have, torch runs MiniLM at about 25 sentences/s;
ONNX Runtime runs the same graph at about 100 (fp32, identical vectors) and the
dynamically quantized int8 graph at about 180, with a mean cosine of 0.99 to the fp32
vectors. ONNX Runtime picks its int8 kernels (AVX2, AVX-512, VNNI) from the CPU at run
time. The graphs are exported at install (`onnx_export`); here only onnxruntime and
the tokenizers library are needed, which also keeps torch out of start-up.

Tokenizing follows sentence-transformers: the model's tokenizer.json ships with
truncation and padding fixed at 128 tokens, so both are reset to the model's 256-token
window and to padding each batch to its longest text; vectors are the attention-masked
mean of the last hidden state, L2-normalised.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from discreet.core.errors import ModelLoadFailed
from discreet.core.machine import resolve_threads
from discreet.core.settings import EmbedderSettings
from discreet.models.embedder import BatchedEmbedder


class OnnxEmbedder(BatchedEmbedder):
    """MiniLM in ONNX Runtime, on a graph `onnx_export` made (the app hash-checks it first).

    `variant` ("fp32" or "int8") names the vector space. Two copies of the tokenizer
    serve counting and offsets (plain) and batches (truncated to the window, padded).
    Raises ModelLoadFailed when ONNX Runtime cannot load the graph.
    """

    def __init__(
        self, model_folder: Path, graph: Path, variant: str, settings: EmbedderSettings
    ) -> None:
        import onnxruntime as ort

        super().__init__()
        from tokenizers import Tokenizer

        self.max_tokens = max_tokens(model_folder)
        self.variant = variant
        self.batch_size = settings.batch_size
        self.batch_tokens = settings.batch_tokens
        self._plain = Tokenizer.from_file(str(model_folder / "tokenizer.json"))
        self._plain.no_truncation()
        self._plain.no_padding()
        self._batch = Tokenizer.from_file(str(model_folder / "tokenizer.json"))
        self._batch.enable_truncation(max_length=self.max_tokens)
        pad = self._batch.token_to_id("[PAD]") or 0
        self._batch.enable_padding(pad_id=pad, pad_token="[PAD]", direction="right")
        options = ort.SessionOptions()
        options.intra_op_num_threads = resolve_threads(settings.threads)
        options.inter_op_num_threads = 1
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        try:
            self._session = ort.InferenceSession(
                str(graph), options, providers=["CPUExecutionProvider"]
            )
        except Exception as err:  # onnxruntime raises its own untyped errors
            raise ModelLoadFailed(graph, str(err)) from err
        self.dimension = int(self._session.get_outputs()[0].shape[-1])

    def _encode(self, texts: list[str]) -> np.ndarray:
        encoded = self._batch.encode_batch(texts)
        ids = np.array([e.ids for e in encoded], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encoded], dtype=np.int64)
        types = np.array([e.type_ids for e in encoded], dtype=np.int64)
        feed = {"input_ids": ids, "attention_mask": mask, "token_type_ids": types}
        hidden = self._session.run(None, feed)[0]
        weights = mask[..., None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
        norms = np.clip(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12, None)
        return (pooled / norms).astype(np.float32, copy=False)

    def count_tokens(self, texts: list[str]) -> list[int]:
        """Word-piece counts without special tokens: the unit chunk sizes are set in."""
        if not texts:
            return []
        return [len(e.ids) for e in self._plain.encode_batch(texts, add_special_tokens=False)]

    def token_offsets(self, text: str) -> list[tuple[int, int]]:
        """Each word piece's (start, end) in `text`, no special tokens; the chunker cuts there."""
        pieces = self._plain.encode(text, add_special_tokens=False)
        return [(start, end) for start, end in pieces.offsets]


def max_tokens(model_folder: Path) -> int:
    """The model's window: sentence-transformers 5 wrote it in sentence_bert_config.json (the
    bundled package), version 6 in tokenizer_config.json (a copy trained here)."""
    config = json.loads((model_folder / "sentence_bert_config.json").read_text())
    if "max_seq_length" in config:
        return int(config["max_seq_length"])
    tokenizer = json.loads((model_folder / "tokenizer_config.json").read_text())
    return int(tokenizer["model_max_length"])
