"""Make tests/fixtures/official_generators.pt: small generators built by the official vid2vid code, random
weights, one input each and the output the official code gives for it.

    python tools/official_fixture.py PATH/TO/NVIDIA-vid2vid   # a clone of github.com/NVIDIA/vid2vid

The official code is imported from that clone (models/networks.py) and not copied into v2v: the fixture
is the data it produced. The official code targets PyTorch 0.4 and CUDA; to run it on a CPU with today's
PyTorch this script (1) makes `Tensor.cuda` a no-op, and (2) calls `grid_sample` with
`align_corners=True`, the behaviour of PyTorch before 1.3, which the official `resample` was written for.
Nothing else is changed. The networks run in training mode under `no_grad`, as the official test.py runs
them (it never calls `.eval()`), at batch size 1, in float64 so that the outputs are the function itself
and not float32's rounding (the weights and inputs are float16 values, exact in any precision; the
outputs are stored in float32). The inference loop below is the official
`Vid2VidModelG.generate_frame_infer` (models/vid2vid_model_G.py, lines 214-233) and `build_pyr`
(models/base_model.py, lines 122-134), written out for one frame.
"""

import argparse, functools, importlib.util, subprocess, sys
from pathlib import Path
import torch
import torch.nn.functional as F

CASES = [  # the official options that shape a generator, one small model each
    dict(name='composite-batch-2scales-fg', netG='composite', label_nc=6, input_nc=3, use_instance=True,
         n_frames_G=3, ngf=4, n_downsample_G=3, n_blocks=2, n_blocks_local=1, n_scales_spatial=2,
         norm='batch', fg=True, fg_labels=[4, 5], no_flow=False, size=(32, 48)),
    dict(name='composite-instance-1scale', netG='composite', label_nc=5, input_nc=3, use_instance=False,
         n_frames_G=2, ngf=4, n_downsample_G=2, n_blocks=3, n_blocks_local=3, n_scales_spatial=1,
         norm='instance', fg=False, fg_labels=[26], no_flow=False, size=(40, 24)),
    dict(name='global-instance', netG='global', label_nc=5, input_nc=3, use_instance=False, ngf=4,
         n_downsample_G=2, n_blocks=3, norm='instance', size=(24, 32)),
    dict(name='local-batch', netG='local', label_nc=4, input_nc=3, use_instance=False, ngf=2,
         n_downsample_G=2, n_blocks=2, n_local_enhancers=1, n_blocks_local=2, norm='batch', size=(32, 32)),
]


def official(repo: Path):
    "The official models/networks.py, imported from a clone, patched to run on a CPU."
    path = repo / 'models' / 'networks.py'
    if not path.exists():
        sys.exit(f"{path} not found: pass a clone of https://github.com/NVIDIA/vid2vid")
    torch.Tensor.cuda = lambda self, *a, **k: self
    F.grid_sample = functools.partial(F.grid_sample, align_corners=True)
    spec = importlib.util.spec_from_file_location('official_networks', path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def randomise(net, g):
    "Norm scales and shifts and conv biases away from their init, so the converter has to carry them."
    for m in net.modules():
        if isinstance(m, torch.nn.BatchNorm2d):
            m.weight.data = 1 + 0.3 * torch.randn(m.weight.shape, generator=g)
            m.bias.data = 0.3 * torch.randn(m.bias.shape, generator=g)
        if isinstance(m, (torch.nn.Conv2d, torch.nn.ConvTranspose2d)) and m.bias is not None:
            m.bias.data = 0.1 * torch.randn(m.bias.shape, generator=g)
    for (
        v
    ) in net.state_dict().values():  # to float16's grid: the fixture stores them in float16 (size), exactly
        if v.is_floating_point():
            v.copy_(v.half().float())
    return net


def half(sd):
    return {k: v.half() if v.is_floating_point() else v for k, v in sd.items()}


def opt_for(c):
    keys = ('n_blocks', 'n_blocks_local', 'fg', 'no_flow', 'n_local_enhancers')
    return argparse.Namespace(fp16=False, feat_num=3, **{k: c[k] for k in keys if k in c})


def build_pyr(x, n):  # official base_model.build_pyr on (B, T, C, H, W)
    out = [x]
    for _ in range(1, n):
        b, t, c, h, w = out[-1].shape
        down = F.avg_pool2d(out[-1].reshape(-1, h, w), 3, stride=2, padding=1, count_include_pad=False)
        out.append(down.view(b, t, c, h // 2, w // 2))
    return out


def sequential_case(nets, c, g, frames=2):
    "Frames of the official inference: every scale, coarse to fine, each keeping its own previous frames."
    n, (h, w), tG = c['n_scales_spatial'], c['size'], c['n_frames_G']
    T = tG - 1 + frames
    ids = torch.randint(0, c['label_nc'], (1, T, 1, h, w), generator=g)
    labels = torch.zeros(1, T, c['label_nc'], h, w).scatter_(2, ids, 1.0)
    if c['use_instance']:
        edges = (torch.rand(1, T, 1, h, w, generator=g) > 0.8).float()
        labels = torch.cat([labels, edges], 2)
    prev = (torch.rand(1, tG - 1, 3, h, w, generator=g) * 2 - 1).half().double()
    labels = labels.double()
    real_A, fake_B_prev = build_pyr(labels, n), build_pyr(prev, n)  # generate_first_frame: the start
    outs = []
    with torch.no_grad():
        for t in range(frames):
            feats = [None, None, None]
            for s in range(n):  # generate_frame_infer
                si = n - 1 - s
                A = real_A[si][:, t : t + tG]
                mask = A[:, tG - 1 : tG, c['fg_labels']].sum(2).clamp(0, 1) if c['fg'] else None
                out = nets[s].forward(A.reshape(1, -1, *A.shape[-2:]),
                                      fake_B_prev[si].reshape(1, -1, *A.shape[-2:]), mask, *feats, False)
                feats = list(out[4:7])
                fake_B_prev[si] = torch.cat([fake_B_prev[si][:, 1:], out[0][:, None]], 1)
            outs.append(out)
    image, flow, weight, raw = outs[0][:4]
    return dict(labels=labels[0].half(), prev_images=prev[0].half(), image=image[0].float(),
                flow=flow[0].float(), mask=weight[0].float(), raw=raw[0].float(),
                images=torch.cat([o[0] for o in outs]).float())


def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('repo', type=Path, help='a clone of https://github.com/NVIDIA/vid2vid')
    p.add_argument('--out', type=Path, default=Path('tests/fixtures/official_generators.pt'))
    a = p.parse_args()
    net = official(a.repo)
    try:
        commit = subprocess.run(
            ['git', '-C', str(a.repo), 'rev-parse', 'HEAD'], capture_output=True, text=True, check=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        commit = 'unknown'
    cases = []
    for i, c in enumerate(CASES):
        torch.manual_seed(i)
        g = torch.Generator().manual_seed(100 + i)
        nc = c['label_nc'] + c['use_instance']
        if c['netG'] == 'composite':
            nets = [
                randomise(
                    net.define_G(
                        nc * c['n_frames_G'],
                        3,
                        3 * (c['n_frames_G'] - 1),
                        c['ngf'] // 2**s,
                        'composite' + ('Local' if s else ''),
                        c['n_downsample_G'],
                        c['norm'],
                        s,
                        [],
                        opt_for(c),
                    ),
                    g,
                )
                for s in range(c['n_scales_spatial'])
            ]
            io = sequential_case([n.double() for n in nets], c, g)
        else:
            nets = [
                randomise(
                    net.define_G(
                        nc, 3, 0, c['ngf'], c['netG'], c['n_downsample_G'], c['norm'], 0, [], opt_for(c)
                    ),
                    g,
                )
            ]
            ids = torch.randint(0, c['label_nc'], (1, 1, *c['size']), generator=g)
            labels = torch.zeros(1, c['label_nc'], *c['size']).scatter_(1, ids, 1.0)
            with torch.no_grad():
                io = dict(
                    labels=labels[0].half(), image=nets[0].double().forward(labels.double())[0].float()
                )
        cases.append(
            dict(
                options={k: v for k, v in c.items() if k not in ('name', 'size')},
                name=c['name'],
                state_dicts=[half(n.state_dict()) for n in nets],
                **io,
            )
        )
        print(c['name'], sum(p.numel() for n in nets for p in n.parameters()), 'parameters')
    a.out.parent.mkdir(parents=True, exist_ok=True)
    tmp = a.out.with_name(a.out.name + '.partial')
    torch.save(
        dict(
            cases=cases,
            official_commit=commit,
            torch=str(torch.__version__),
            command=' '.join(['python'] + sys.argv),
        ),
        tmp,
    )
    tmp.replace(a.out)
    print(f"wrote {a.out} ({a.out.stat().st_size / 1e6:.2f} MB), official commit {commit}")


if __name__ == '__main__':
    main()
