"""Small transformer models written in PyTorch, exported to make fixtures.

The GPT-2-style block is written by hand (not nn.TransformerEncoderLayer) so
that the exported graph has the shapes a real GPT-2 export has: a fused qkv
Linear split in three, a causal mask from torch.tril + masked_fill(-inf), a
tanh GELU spelled out elementwise, and residual adds.
"""

import math

import torch
from torch import nn


def gelu_tanh(x):
    # GPT-2's GELU, written out so that the export is elementwise ops only.
    return 0.5 * x * (1.0 + torch.tanh(math.sqrt(2.0 / math.pi) *
                                       (x + 0.044715 * torch.pow(x, 3.0))))


class CausalSelfAttention(nn.Module):
    def __init__(self, d_model, n_head):
        super().__init__()
        assert d_model % n_head == 0
        self.n_head = n_head
        self.c_attn = nn.Linear(d_model, 3 * d_model)
        self.c_proj = nn.Linear(d_model, d_model)

    def forward(self, x):
        b, t, c = x.size()
        hd = c // self.n_head
        q, k, v = self.c_attn(x).split(c, dim=2)
        q = q.view(b, t, self.n_head, hd).transpose(1, 2)
        k = k.view(b, t, self.n_head, hd).transpose(1, 2)
        v = v.view(b, t, self.n_head, hd).transpose(1, 2)
        att = (q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(hd))
        causal = torch.tril(torch.ones(t, t, device=x.device))
        att = att.masked_fill(causal == 0, float("-inf"))
        att = torch.softmax(att, dim=-1)
        y = (att @ v).transpose(1, 2).contiguous().view(b, t, c)
        return self.c_proj(y)


class MLP(nn.Module):
    def __init__(self, d_model, d_ff):
        super().__init__()
        self.c_fc = nn.Linear(d_model, d_ff)
        self.c_proj = nn.Linear(d_ff, d_model)

    def forward(self, x):
        return self.c_proj(gelu_tanh(self.c_fc(x)))


class GPTBlock(nn.Module):
    """Pre-norm GPT-2 block: x + attn(ln_1(x)), then x + mlp(ln_2(x))."""

    def __init__(self, d_model, n_head, d_ff=None):
        super().__init__()
        self.ln_1 = nn.LayerNorm(d_model)
        self.attn = CausalSelfAttention(d_model, n_head)
        self.ln_2 = nn.LayerNorm(d_model)
        self.mlp = MLP(d_model, d_ff or 4 * d_model)

    def forward(self, x):
        x = x + self.attn(self.ln_1(x))
        return x + self.mlp(self.ln_2(x))


class TinyGPT(nn.Module):
    """Token + position embedding, causal blocks, final LayerNorm, LM head."""

    def __init__(self, vocab, max_seq, d_model, n_head, n_layer):
        super().__init__()
        self.wte = nn.Embedding(vocab, d_model)
        self.wpe = nn.Embedding(max_seq, d_model)
        self.blocks = nn.ModuleList(
            [GPTBlock(d_model, n_head) for _ in range(n_layer)])
        self.ln_f = nn.LayerNorm(d_model)
        self.lm_head = nn.Linear(d_model, vocab, bias=False)

    def forward(self, ids):
        t = ids.size(1)
        pos = torch.arange(0, t, dtype=torch.long, device=ids.device)
        x = self.wte(ids) + self.wpe(pos)
        for block in self.blocks:
            x = block(x)
        return self.lm_head(self.ln_f(x))


class EncoderWithMask(nn.Module):
    """Wraps nn.TransformerEncoderLayer so the key-padding mask is an input."""

    def __init__(self, layer):
        super().__init__()
        self.layer = layer

    def forward(self, x, mask):
        return self.layer(x, src_key_padding_mask=mask)


class EncoderNoMask(nn.Module):
    def __init__(self, layer):
        super().__init__()
        self.layer = layer

    def forward(self, x):
        return self.layer(x)


def perturb_parameters(module, gen):
    """LayerNorm starts as weight=1, bias=0 and attention biases as 0; make
    them non-trivial so a fixture catches a lowering that ignores a scale or
    a bias (and so the exporter does not merge identical initializers)."""
    with torch.no_grad():
        for m in module.modules():
            if isinstance(m, nn.LayerNorm):
                m.weight.copy_(1.0 + 0.1 * torch.randn(m.weight.shape,
                                                       generator=gen))
                m.bias.copy_(0.1 * torch.randn(m.bias.shape, generator=gen))
        for name, p in module.named_parameters():
            if name.endswith("bias") and not torch.any(p):
                p.copy_(0.05 * torch.randn(p.shape, generator=gen))


class RMSNorm(nn.Module):
    """LLaMA's RMSNorm: x / sqrt(mean(x^2) + eps) * weight."""

    def __init__(self, d, eps=1e-6):
        super().__init__()
        self.eps = eps
        self.weight = nn.Parameter(torch.ones(d))

    def forward(self, x):
        var = x.pow(2).mean(-1, keepdim=True)
        return x * torch.rsqrt(var + self.eps) * self.weight


def rotate_half(x):
    x1, x2 = x.chunk(2, dim=-1)
    return torch.cat((-x2, x1), dim=-1)


class LlamaBlock(nn.Module):
    """A LLaMA-style decoder block as Hugging Face writes it: RMSNorm,
    rotary position embeddings computed from the position ids (Sin/Cos in
    the graph), grouped-query attention (n_kv_head key/value heads repeated
    with expand + reshape), a causal mask, and a SwiGLU MLP; no biases."""

    def __init__(self, d_model, n_head, n_kv_head, d_ff, theta=10000.0):
        super().__init__()
        assert d_model % n_head == 0 and n_head % n_kv_head == 0
        self.n_head, self.n_kv_head = n_head, n_kv_head
        self.hd = d_model // n_head
        self.input_layernorm = RMSNorm(d_model)
        self.q_proj = nn.Linear(d_model, n_head * self.hd, bias=False)
        self.k_proj = nn.Linear(d_model, n_kv_head * self.hd, bias=False)
        self.v_proj = nn.Linear(d_model, n_kv_head * self.hd, bias=False)
        self.o_proj = nn.Linear(n_head * self.hd, d_model, bias=False)
        self.post_attention_layernorm = RMSNorm(d_model)
        self.gate_proj = nn.Linear(d_model, d_ff, bias=False)
        self.up_proj = nn.Linear(d_model, d_ff, bias=False)
        self.down_proj = nn.Linear(d_ff, d_model, bias=False)
        inv_freq = 1.0 / (theta ** (torch.arange(0, self.hd, 2).float() /
                                    self.hd))
        self.register_buffer("inv_freq", inv_freq, persistent=False)

    def repeat_kv(self, x):
        b, h, t, d = x.shape
        rep = self.n_head // self.n_kv_head
        x = x[:, :, None, :, :].expand(b, h, rep, t, d)
        return x.reshape(b, h * rep, t, d)

    def forward(self, x, pos):
        b, t, c = x.shape
        h = self.input_layernorm(x)
        q = self.q_proj(h).view(b, t, self.n_head, self.hd).transpose(1, 2)
        k = self.k_proj(h).view(b, t, self.n_kv_head, self.hd).transpose(1, 2)
        v = self.v_proj(h).view(b, t, self.n_kv_head, self.hd).transpose(1, 2)
        freqs = pos.float()[:, :, None] * self.inv_freq[None, None, :]
        emb = torch.cat((freqs, freqs), dim=-1)
        cos, sin = emb.cos()[:, None], emb.sin()[:, None]
        q = q * cos + rotate_half(q) * sin
        k = k * cos + rotate_half(k) * sin
        k, v = self.repeat_kv(k), self.repeat_kv(v)
        att = (q @ k.transpose(-2, -1)) / math.sqrt(self.hd)
        causal = torch.tril(torch.ones(t, t, device=x.device))
        att = att.masked_fill(causal == 0, float("-inf"))
        att = torch.softmax(att, dim=-1)
        y = (att @ v).transpose(1, 2).reshape(b, t, c)
        x = x + self.o_proj(y)
        h = self.post_attention_layernorm(x)
        mlp = self.down_proj(nn.functional.silu(self.gate_proj(h)) *
                             self.up_proj(h))
        return x + mlp


class EinsumEncoder(nn.Module):
    """Attention written with torch.einsum (projections to heads, scores,
    weighted values and the output projection each one Einsum node), a
    LayerNorm and a ReLU MLP; the final LM-style projection's argmax picks a
    class per token (ArgMax in the graph)."""

    def __init__(self, d_model, n_head, d_ff, n_class):
        super().__init__()
        self.n_head, self.hd = n_head, d_model // n_head
        g = lambda *s: nn.Parameter(torch.randn(*s) / math.sqrt(s[-2]))
        self.wq = g(n_head, d_model, self.hd)
        self.wk = g(n_head, d_model, self.hd)
        self.wv = g(n_head, d_model, self.hd)
        self.wo = g(n_head, self.hd, d_model)
        self.ln = nn.LayerNorm(d_model)
        self.ff1 = nn.Linear(d_model, d_ff)
        self.ff2 = nn.Linear(d_ff, d_model)
        self.head = nn.Linear(d_model, n_class)

    def forward(self, x):
        q = torch.einsum("btc,hcd->bhtd", x, self.wq)
        k = torch.einsum("btc,hcd->bhtd", x, self.wk)
        v = torch.einsum("btc,hcd->bhtd", x, self.wv)
        att = torch.einsum("bhid,bhjd->bhij", q, k) / math.sqrt(self.hd)
        att = torch.softmax(att, dim=-1)
        y = torch.einsum("bhij,bhjd->bhid", att, v)
        x = self.ln(x + torch.einsum("bhtd,hdc->btc", y, self.wo))
        x = x + self.ff2(torch.relu(self.ff1(x)))
        return x, self.head(x).argmax(-1)
