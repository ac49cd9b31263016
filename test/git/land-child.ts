// Child process for the landing kill drill: lands one task and is killed with SIGKILL somewhere in the middle.
import { makeLandWork } from '../../src/activities/land-work';
import type { LandWorkInput } from '../../src/shared/landing';

const input = JSON.parse(process.argv[2] ?? '{}') as LandWorkInput;
process.stdout.write('go\n');
makeLandWork()(input).then(
  (r) => process.stdout.write(`${JSON.stringify(r)}\n`),
  (err: unknown) => {
    process.stderr.write(`${String(err)}\n`);
    process.exit(1);
  },
);
