"""A helper of test_ddp.py, not a test: runs v2v_train with its command-line arguments and saves, per rank,
the generator's and D_I's gradients at the first optimizer step and the final weights of G, D_I and D_V
to OUT/rank<r>.pt. With V2V_TEST_NAN_RANK=r, rank r's generator loss turns NaN from step 1 on.
Launch it as v2v_train:
    torchrun --standalone --nproc_per_node 2 tests/ddp_worker.py --batch_size 4 ... --out OUT"""
import os, sys
from pathlib import Path
import torch
from v2v.cli import v2v_train
from v2v.train import Trainer

_setup, _fit, _guard = Trainer._setup_optim, Trainer.fit, Trainer._guard

def _keep_first(self, opt, model, key):
    "Wrap opt.step to keep, in self.<key>, the gradients it is about to apply the first time."
    step = opt.step
    def first_step(*a, **kw):
        if not hasattr(self, key):
            setattr(self, key, {n: p.grad.detach().clone() for n, p in model.named_parameters()
                                if p.grad is not None})
        return step(*a, **kw)
    opt.step = first_step

def _setup_optim(self):
    "The usual optimizers, keeping the first gradients of the discriminators and of the generator."
    _setup(self)
    _keep_first(self, self.opt_G, self.G, 'first_grads')
    _keep_first(self, self.opt_D, self.D_I, 'first_grads_D')

def fit(self, *a, **kw):
    out = _fit(self, *a, **kw)
    torch.save(dict(world=self.world, grads=self.first_grads, grads_D=self.first_grads_D,
                    G=self.G.state_dict(), D_I=self.D_I.state_dict(), D_V=self.D_V.state_dict()),
               Path(self.cfg.out) / f'rank{self.rank}.pt')
    return out

def guard(self, what, loss):
    "The usual check, after poisoning this rank's generator loss where V2V_TEST_NAN_RANK asks for it."
    if what == 'generator' and self.step >= 1 and os.environ.get('V2V_TEST_NAN_RANK') == str(self.rank):
        loss = loss * float('nan')
    return _guard(self, what, loss)

Trainer._setup_optim, Trainer.fit, Trainer._guard = _setup_optim, fit, guard

if __name__ == '__main__': v2v_train(sys.argv[1:])
