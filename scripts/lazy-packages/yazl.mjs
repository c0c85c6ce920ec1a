import { lazyPackage } from './lazy.mjs';

export default lazyPackage('yazl');
