"""The few pieces of ONNX's protobuf encoding that ``onnx_int8`` reads and writes (and
``vector_scores`` writes a one-node model with).

Reading: ``fields`` splits a message into its fields (each with its bytes, so what is not
changed is copied as it is); ``read_node`` decodes a NodeProto's inputs, outputs, op type,
domain and integer attributes. Writing: ``node``, ``tensor`` (a scalar initializer) and
``field``. Field numbers are onnx.proto's. The ``onnx`` package does all this and more at
30 MB installed; carebase needs these few fields of one file, pinned by its SHA-256.
"""

from __future__ import annotations

import struct

# ModelProto, GraphProto, NodeProto, AttributeProto, TensorProto, OperatorSetIdProto
MODEL_GRAPH, MODEL_OPSET = 7, 8
GRAPH_NODE, GRAPH_INITIALIZER = 1, 5
NODE_INPUT, NODE_OUTPUT, NODE_OP_TYPE, NODE_ATTRIBUTE, NODE_DOMAIN = 1, 2, 4, 5, 7
ATTR_NAME, ATTR_INT, ATTR_INTS, ATTR_TYPE = 1, 3, 8, 20
ATTR_TYPE_INT, ATTR_TYPE_INTS = 2, 7
TENSOR_DIMS, TENSOR_DATA_TYPE, TENSOR_NAME, TENSOR_RAW = 1, 2, 8, 9
FLOAT, UINT8 = 1, 2  # TensorProto.DataType
OPSET_DOMAIN, OPSET_VERSION = 1, 2
VARINT, LEN = 0, 2  # wire types


def _varint(buf, i: int) -> tuple[int, int]:
    shift = value = 0
    while True:
        b = buf[i]
        i += 1
        value |= (b & 0x7F) << shift
        if b < 0x80:
            return value, i
        shift += 7


def fields(buf) -> list[tuple[int, int, object, memoryview]]:
    """(field number, wire type, value, the field's whole bytes) for each field of a message:
    a length-delimited field's value is its payload, a varint's its number."""
    view = memoryview(buf)
    out, i = [], 0
    while i < len(view):
        start = i
        key, i = _varint(view, i)
        number, wire = key >> 3, key & 7
        if wire == VARINT:
            value, i = _varint(view, i)
        elif wire == LEN:
            size, i = _varint(view, i)
            value, i = view[i: i + size], i + size
        elif wire in (1, 5):  # 64- and 32-bit
            value, i = None, i + (8 if wire == 1 else 4)
        else:
            raise ValueError(f"ONNX file: unexpected protobuf wire type {wire} at byte {start}")
        if i > len(view):
            raise ValueError(f"ONNX file: a field at byte {start} runs past the end")
        out.append((number, wire, value, view[start:i]))
    return out


def read_node(payload) -> dict:
    """A NodeProto's input, output, op_type, domain and ints (attribute name → its integer,
    None for attributes of another kind)."""
    node = {"input": [], "output": [], "op_type": "", "domain": "", "ints": {}}
    for number, wire, value, _ in fields(payload):
        if wire != LEN:
            continue
        if number == NODE_ATTRIBUTE:
            parts = {n: v for n, _, v, _ in fields(value)}
            node["ints"][bytes(parts.get(ATTR_NAME, b"")).decode()] = parts.get(ATTR_INT)
        elif number in (NODE_INPUT, NODE_OUTPUT):
            node["input" if number == NODE_INPUT else "output"].append(bytes(value).decode())
        elif number in (NODE_OP_TYPE, NODE_DOMAIN):
            node["op_type" if number == NODE_OP_TYPE else "domain"] = bytes(value).decode()
    return node


def varint(n: int) -> bytes:
    out = bytearray()
    while True:
        if n < 0x80:
            out.append(n)
            return bytes(out)
        out.append((n & 0x7F) | 0x80)
        n >>= 7


def field(number: int, payload: bytes) -> bytes:
    return varint(number << 3 | LEN) + varint(len(payload)) + payload


def int_field(number: int, value: int) -> bytes:
    return varint(number << 3 | VARINT) + varint(value)


def _attribute(name: str, value: int | list[int]) -> bytes:
    if isinstance(value, list):  # ints (non-negative here: varints of up to 64 bits for negatives)
        body = b"".join(int_field(ATTR_INTS, v & 0xFFFFFFFFFFFFFFFF) for v in value)
        return field(ATTR_NAME, name.encode()) + body + int_field(ATTR_TYPE, ATTR_TYPE_INTS)
    return field(ATTR_NAME, name.encode()) + int_field(ATTR_INT, value & 0xFFFFFFFFFFFFFFFF) \
        + int_field(ATTR_TYPE, ATTR_TYPE_INT)


def node(inputs: list[str], outputs: list[str], op_type: str, domain: str = "", **attributes) -> bytes:
    """A GraphProto.node field: a NodeProto with integer (or integer list) attributes."""
    parts = [field(NODE_INPUT, s.encode()) for s in inputs] + [field(NODE_OUTPUT, s.encode()) for s in outputs]
    parts += [field(NODE_ATTRIBUTE, _attribute(k, v)) for k, v in attributes.items()]
    parts += [field(NODE_OP_TYPE, op_type.encode()), field(NODE_DOMAIN, domain.encode())]
    return field(GRAPH_NODE, b"".join(parts))


def tensor(name: str, value: float | int, data_type: int = FLOAT) -> bytes:
    """A GraphProto.initializer field: a scalar float32 (or uint8) tensor."""
    raw = struct.pack("<f", value) if data_type == FLOAT else bytes([value])
    return field(GRAPH_INITIALIZER, int_field(TENSOR_DATA_TYPE, data_type) + field(TENSOR_NAME, name.encode())
                 + field(TENSOR_RAW, raw))


def opset(domain: str, version: int) -> bytes:
    """A ModelProto.opset_import field."""
    return field(MODEL_OPSET, field(OPSET_DOMAIN, domain.encode()) + int_field(OPSET_VERSION, version))


# Writing a whole model (``vector_scores``): a graph of nodes over initializers and inputs.
GRAPH_INPUT, GRAPH_OUTPUT = 11, 12
MODEL_IR_VERSION = 1
INT8, INT32, INT64 = 3, 6, 7  # TensorProto.DataType (with FLOAT, UINT8 above)


def array(name: str, values, data_type: int) -> list:
    """A GraphProto.initializer field: a numpy array's raw bytes (little-endian, C order), as
    pieces for one ``b"".join`` (the array's buffer itself, not copies of it)."""
    head = b"".join(int_field(TENSOR_DIMS, d) for d in values.shape) + int_field(TENSOR_DATA_TYPE, data_type) \
        + field(TENSOR_NAME, name.encode()) + varint(TENSOR_RAW << 3 | LEN) + varint(values.nbytes)
    raw = memoryview(values).cast("B")
    return [varint(GRAPH_INITIALIZER << 3 | LEN) + varint(len(head) + values.nbytes) + head, raw]


def read_tensor(payload) -> tuple[str, int, tuple[int, ...], bytes | None]:
    """A TensorProto's name, data type, dimensions and raw bytes (None: stored another way)."""
    name, data_type, dims, raw = "", 0, [], None
    for number, wire, value, _ in fields(payload):
        if number == TENSOR_DIMS:
            if wire == VARINT:
                dims.append(value)
            else:  # packed
                i = 0
                while i < len(value):
                    d, i = _varint(value, i)
                    dims.append(d)
        elif number == TENSOR_DATA_TYPE:
            data_type = value
        elif number == TENSOR_NAME:
            name = bytes(value).decode()
        elif number == TENSOR_RAW:
            raw = bytes(value)
    return name, data_type, tuple(dims), raw


def value_info(number: int, name: str, data_type: int, shape) -> bytes:
    """A graph input (``GRAPH_INPUT``) or output: a tensor of ``data_type``; each dimension a
    size, or a name for a size known only when it runs."""
    dims = b"".join(field(1, int_field(1, d) if isinstance(d, int) else field(2, d.encode())) for d in shape)
    tensor_type = field(1, int_field(1, data_type) + field(2, dims))  # TypeProto.tensor_type: elem_type, shape
    return field(number, field(1, name.encode()) + field(2, tensor_type))  # ValueInfoProto: name, type


def model(graph: list, opset_version: int = 13) -> bytes:
    """A ModelProto of one graph (its fields' pieces: nodes, initializers, inputs and
    outputs) in the default domain, joined once."""
    size = sum(len(memoryview(p).cast("B")) for p in graph)
    head = int_field(MODEL_IR_VERSION, 7) + opset("", opset_version) + varint(MODEL_GRAPH << 3 | LEN) + varint(size)
    return b"".join([head, *graph])
