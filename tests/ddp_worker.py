"""A helper of test_ddp.py, not a test: runs v2v_train with its command-line arguments and saves, per rank, the
generator's gradients at the first optimizer step and its final weights to OUT/rank<r>.pt. Launch it as v2v_train:
    torchrun --standalone --nproc_per_node 2 tests/ddp_worker.py --batch_size 4 ... --out OUT"""
import sys
from pathlib import Path
import torch
from v2v.cli import v2v_train
from v2v.train import Trainer

_setup, _fit = Trainer._setup_optim, Trainer.fit

def _setup_optim(self):
    "The usual optimizers, with opt_G.step wrapped to keep the gradients it is about to apply the first time."
    _setup(self)
    step = self.opt_G.step
    def first_step(*a, **kw):
        if not hasattr(self, 'first_grads'):
            self.first_grads = {n: p.grad.detach().clone() for n, p in self.G.named_parameters() if p.grad is not None}
        return step(*a, **kw)
    self.opt_G.step = first_step

def fit(self, *a, **kw):
    out = _fit(self, *a, **kw)
    torch.save(dict(world=self.world, grads=self.first_grads, G=self.G.state_dict()), Path(self.cfg.out) / f'rank{self.rank}.pt')
    return out

Trainer._setup_optim, Trainer.fit = _setup_optim, fit

if __name__ == '__main__': v2v_train(sys.argv[1:])
