// Worker entry for the virtual board: the emulator runs here, off the page's
// thread; the page talks to it with connectVirtualBoard(worker, image)
// (board-port.ts), which returns an ordinary Transport for the RPC client.
import { serveVirtualBoard, type PortLike } from './board-port.ts';

serveVirtualBoard(self as unknown as PortLike);
